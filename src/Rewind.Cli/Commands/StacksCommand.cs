using System.Globalization;
using Rewind.Cli.Dotnet;
using Rewind.Symbols;
using Rewind.Timeline;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>
/// `rewind stacks`: every thread's stack at one moment of a recording, for a bug report; a .NET
/// program's managed frames are named with their C# lines, between the native ones.
/// </summary>
internal sealed class StacksCommand : ICommand
{
    public string Name => "stacks";

    public string Usage => "stacks [--event N | --end] [--pid PID] [TRACE]";

    public string Summary => "Print every thread's stack at a moment of a recording, .NET frames with their C# lines.";

    public string Help => """
        options:
          --event N   at the boundary just before event N (rewind dump numbers them)
          --end       at the end of the trace: the exit, the fatal signal, or where it was cut (the default)
          --pid PID   the threads of process PID of the trace (rewind ps lists them), at the end of
                      that process (or at event N while it lives); the first process by default
        TRACE defaults to the latest recording. For a .NET program, the trace's copy of the
        runtime's data-access library and the app's portable PDBs name the managed frames.

        example:
          rewind stacks --end app.rwd
        """;

    public int Run(Arguments args)
    {
        string? eventText = args.Option("--event");
        string? pidText = args.Option("--pid");
        int? pid = pidText == null ? null
            : int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p > 0 ? p
            : throw new UsageException($"--pid takes a process id, not '{pidText}'");
        bool end = args.Flag("--end");
        var positionals = args.Positionals(1);
        if (end && eventText != null)
        {
            throw new UsageException("--event and --end name two moments: give one");
        }
        long? at = eventText == null ? null
            : long.TryParse(eventText, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n
            : throw new UsageException($"--event takes an event number, not '{eventText}'");
        string path = TracePaths.Resolve(positionals.Count > 0 ? positionals[0] : null);
        using var trace = TraceFile.Open(path);
        if (at > trace.Summary.EventCount)
        {
            throw new UsageException($"--event {at}: the trace has {trace.Summary.EventCount:N0} events");
        }
        string report = TracerThread.Run(() =>
        {
            using var timeline = ReplayTimeline.Open(trace, process: pid);
            var stop = timeline.RunToEvent(at ?? trace.Summary.EventCount);
            return StackReport.Write(timeline, stop, ProgramSymbols.Load(trace, timeline.Process), note => Console.Error.WriteLine($"rewind: {note}"));
        });
        Console.Out.Write(report);
        return 0;
    }
}
