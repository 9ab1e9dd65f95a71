using System.Text;
using Rewind.Dap.Session;
using Rewind.Symbols.Dotnet;
using Rewind.Timeline;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    /// <summary>
    /// A stop for a signal, described by the .NET exception in flight on the thread where there is
    /// one (the runtime aborts the process on an unhandled exception: the SIGABRT is its end), else
    /// by the signal.
    /// </summary>
    private StopInfo SignalStop(TimelineStop stop) => Report(stop, Session.StopReason.Signal,
        Runtime()?.ExceptionOf(_timeline.Thread) is { } e ? $"{e.Type}: {e.Message}" : $"{Linux.Signal.Name(stop.Signal)}: {Linux.Signal.Description(stop.Signal)}");

    public ThrownException? GetException(Tid thread) => _engine.Invoke(() =>
    {
        if (Runtime()?.ExceptionOf(thread) is not { } e)
        {
            return null;
        }
        var stop = _timeline.Stop;
        bool dying = thread == _timeline.Thread && stop.Signal != 0 && stop.Signal == _timeline.Exit?.Signal;
        return Thrown(e, dying);
    });

    private static ThrownException Thrown(ManagedException e, bool unhandled) =>
        new(e.Type, e.Message, StackText(e.Stack), e.Inner is { } inner ? [Thrown(inner, unhandled: false)] : [], unhandled);

    /// <summary>An exception's stack as .NET prints one: "   at Method in File:line N".</summary>
    private static string StackText(IReadOnlyList<ManagedFrame> stack)
    {
        var text = new StringBuilder();
        foreach (var frame in stack.Where(f => f.Method != null))
        {
            text.Append("   at ").Append(frame.Method);
            if (frame.Line is { } line)
            {
                text.Append($" in {line.File}:line {line.Line}");
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
