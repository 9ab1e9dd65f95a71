using System.Runtime.InteropServices;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind replay`: the recorded run again, from the trace alone.</summary>
internal sealed class ReplayCommand : ICommand
{
    public string Name => "replay";

    public string Usage => "replay [--from-checkpoint N|last] [--any-cpu] [TRACE]";

    public string Summary => "Re-run a recording from its trace: the same output, the same exit status, nothing touched outside.";

    public string Help => """
        options:
          --from-checkpoint N|last   start from checkpoint N (rewind info lists them), not from
                                     the start: only the output after it is shown
          --any-cpu                  replay although this CPU lacks instruction-set features
                                     the recorded program was shown: where it executes one,
                                     replay stops with a divergence (SIGILL)
        TRACE defaults to the latest recording.

        example:
          rewind replay --from-checkpoint last sort.rwd
        """;

    public int Run(Arguments args)
    {
        string? from = args.Option("--from-checkpoint");
        bool anyCpu = args.Flag("--any-cpu");
        var positionals = args.Positionals(1);
        string path = TracePaths.Resolve(positionals.Count > 0 ? positionals[0] : null);
        using var trace = TraceFile.Open(path);
        int checkpoint = CheckpointArgument.Parse("--from-checkpoint", from, trace, path) ?? 0;
        if (from != null && trace.Summary.Checkpoints.FirstOrDefault(c => c.Index == checkpoint) is { } start)
        {
            Console.Error.WriteLine($"rewind: replaying from checkpoint {checkpoint}, event {start.EventIndex:N0} of {trace.Summary.EventCount:N0} ({start.TimeMicros / 1e6:0.000} s into the run)");
        }

        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        void Output(int fd, ReadOnlySpan<byte> data)
        {
            Progress.Clear();
            var stream = fd == 1 ? stdout : stderr;
            stream.Write(data);
            stream.Flush();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => { });
        var result = TracerThread.Run(() =>
        {
            using var session = ReplaySession.Start(trace, checkpoint, Output, anyCpu: anyCpu);
            return session.RunToEnd(p => Progress.Show($"rewind: replaying {p.Percent:0}% · event {p.Event:N0} of {p.TotalEvents:N0}"));
        });
        Progress.Clear();
        if (result.EndNote != null)
        {
            Console.Error.WriteLine($"rewind: {result.EndNote}");
            return 1;
        }
        if (trace.RecoveryNote != null)
        {
            // The run replayed to its end, but the file lost its footer: say so once.
            Console.Error.WriteLine($"rewind: {trace.RecoveryNote}");
        }
        return CommandLine.ReportExit(result.Exit!.Value);
    }
}
