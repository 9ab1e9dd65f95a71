using System.Text;
using Rewind.Symbols;
using Rewind.Symbols.Dotnet;
using Rewind.Timeline;

namespace Rewind.Cli.Dotnet;

/// <summary>
/// Every thread's stack at the timeline's present, as text: a header per thread (its tid, the
/// program's name for it, its managed id, the exception in flight), then its frames as gdb's
/// backtrace prints them, managed ones with their C# lines.
/// </summary>
internal static class StackReport
{
    /// <param name="note">Told why managed frames are missing where the program is .NET but the trace lacks what reads them.</param>
    public static string Write(ReplayTimeline timeline, TimelineStop stop, SymbolTable symbols, Action<string> note)
    {
        var text = new StringBuilder();
        text.Append($"at event {stop.Position.Event:N0} of {timeline.TotalEvents:N0}{Where(stop)}\n");
        using var runtime = OpenRuntime(timeline, note);
        var managed = runtime?.Threads.ToDictionary(t => t.Tid) ?? [];
        foreach (var thread in timeline.Threads)
        {
            managed.TryGetValue(thread.Tid, out var m);
            string name = m?.Name ?? thread.Name;
            text.Append($"\nThread {thread.Tid} \"{name}\"");
            var facts = new List<string>();
            if (m != null)
            {
                facts.Add($"managed thread {m.ManagedId}");
            }
            if (thread.Tid == timeline.Thread)
            {
                facts.Add("the present thread");
            }
            text.Append(facts.Count > 0 ? $" ({string.Join(", ", facts)})\n" : "\n");
            if (runtime?.ExceptionOf(thread.Tid) is { } exception)
            {
                for (var e = exception; e != null; e = e.Inner)
                {
                    text.Append($"  {(e == exception ? "exception" : "inner")}: {e.Type}: {e.Message} (object 0x{e.Address:x})\n");
                }
            }
            var frames = MixedStack.Of(thread.Tid, symbols.Unwind(FrameRegisters.Of(timeline.RegistersOf(thread.Tid)), timeline.Memory), runtime);
            for (int i = 0; i < frames.Count; i++)
            {
                text.Append($"  {FrameText.Of(i, frames[i])}\n");
            }
        }
        return text.ToString();
    }

    private static ManagedRuntime? OpenRuntime(ReplayTimeline timeline, Action<string> note)
    {
        try
        {
            return ManagedRuntime.Open(timeline);
        }
        catch (RewindException e)
        {
            note(e.Message);
            return null;
        }
    }

    private static string Where(TimelineStop stop) => stop.Reason switch
    {
        StopReason.EndOfTrace => stop.Exit is { } exit ? $" (the end of the trace: {exit})" : " (the end of the trace)",
        StopReason.Signal => $" ({Linux.Signal.Name(stop.Signal)} is about to be delivered)",
        _ => "",
    };
}
