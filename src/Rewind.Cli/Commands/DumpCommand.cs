using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind dump`: the events of a trace, one a line.</summary>
internal sealed class DumpCommand : ICommand
{
    public string Name => "dump";

    public string Usage => "dump [TRACE]";

    public string Summary => "Print the recorded events, one a line.";

    public string Help => """
        Each line: the event's index, its time, its thread and what it was (a syscall with its
        arguments and result, a signal, an rdtsc, a preemption, an exit).
        TRACE defaults to the latest recording.

        example:
          rewind dump sort.rwd | grep openat
        """;

    public int Run(Arguments args)
    {
        var positionals = args.Positionals(1);
        using var trace = TraceFile.Open(TracePaths.Resolve(positionals.Count > 0 ? positionals[0] : null));
        var o = Console.Out;
        foreach (var (index, e) in trace.Events())
        {
            o.WriteLine($"{index,8} {e.Time / 1e6,10:0.000000} {e.Tid} {Describe(e)}");
        }
        if (trace.RecoveryNote != null)
        {
            Console.Error.WriteLine($"rewind: {trace.RecoveryNote}");
        }
        return 0;
    }

    internal static string Describe(TraceEvent e) => e switch
    {
        SyscallEvent s => $"{s.Name}({string.Join(", ", s.Args.Take(ArgCount(s)).Select(Hex))}) = {Result(s.Result)}"
            + (s.Writes.Count > 0 ? $" [wrote {s.Writes.Sum(w => w.Data.Length)} bytes]" : "")
            + (s.Mapping is { } m ? $" [{m.Path} +0x{m.FileOffset:x}]" : "")
            + (s.Output is { } o ? $" {(o.Fd == 1 ? "stdout" : "stderr")}: {Quote(o.Data)}" : ""),
        SignalEvent g => $"signal {Signal.Name(g.Signal)} {(g.Synchronous ? "fault" : "async")} at {g.Registers.Pc}" + (g.RunNanos is { } ran ? $" after {ran / 1000} µs" : ""),
        RdtscEvent r => $"{(r.IsRdtscp ? "rdtscp" : "rdtsc")} at {r.Pc} = {r.Counter}",
        ExecEvent x => $"exec: the new image is checkpoint {x.Checkpoint}",
        ChildOutputEvent c => $"child output {(c.Output.Fd == 1 ? "stdout" : "stderr")}: {Quote(c.Output.Data)}",
        ExitEvent x => $"{x.Status}",
        SyscallEntryEvent n => $"enters {SyscallTable.Name(n.Number)}({string.Join(", ", n.Args.Select(Hex))}), others run meanwhile",
        PreemptionEvent p => $"preempted at {p.Registers.Pc} after {p.RunNanos / 1000} µs (rsp 0x{p.Registers.Rsp:x}, rax 0x{p.Registers.Rax:x})",
        _ => e.GetType().Name,
    };

    private static int ArgCount(SyscallEvent s) => s.Number switch
    {
        Nr.exit or Nr.exit_group or Nr.brk => 1,
        Nr.write or 0 or 257 => 3,
        _ => 6,
    };

    private static string Hex(ulong v) => v < 10 ? v.ToString() : (long)v is < 0 and > -4096 ? ((long)v).ToString() : $"0x{v:x}";

    private static string Result(long r) => r is < 0 and > -4096 ? $"-{-r}" : r < 4096 ? r.ToString() : $"0x{r:x}";

    private static string Quote(byte[] data)
    {
        string text = System.Text.Encoding.UTF8.GetString(data, 0, Math.Min(data.Length, 60));
        text = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
        return $"\"{text}{(data.Length > 60 ? "…" : "")}\"";
    }
}
