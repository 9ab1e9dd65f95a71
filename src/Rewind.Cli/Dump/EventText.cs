using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Dump;

/// <summary>
/// One event as a line of `rewind dump`: syscalls as strace shows them, signals and exits in
/// strace's --- / +++ lines, and what strace has no line for (rdtsc, preemptions) in the same spirit.
/// </summary>
internal static class EventText
{
    public static string Describe(TraceEvent e) => e switch
    {
        SyscallEvent s => SyscallFormatter.Format(s) + Extra(s),
        SyscallEntryEvent n => $"{SyscallTable.Name(n.Number)}({string.Join(", ", n.Args.Select(a => $"0x{a:x}"))}) <unfinished ...>",
        SignalEvent g => $"--- {Signal.Name(g.Signal)} {SigInfo(g)} --- {(g.Synchronous ? "fault" : "async")} at {g.Registers.Pc}" + (g.RunNanos is { } ran ? $" after {ran / 1000} µs" : ""),
        RdtscEvent r => $"{(r.IsRdtscp ? "rdtscp" : "rdtsc")} = {r.Counter} at {r.Pc}",
        ExecEvent x => $"--- exec{(x.CommandLine is { } argv ? $" {StraceText.Quote(System.Text.Encoding.UTF8.GetBytes(string.Join(' ', argv)))}" : "")}: the new image is checkpoint {x.Checkpoint} ---",
        NewProcessEvent p => $"--- new process {p.Pid} ---",
        ChildOutputEvent c => $"--- a child wrote to {StreamName(c.Output.Fd)}: {StraceText.Quote(c.Output.Data)} ---",
        ExitEvent x => x.Status.Signal != 0
            ? $"+++ killed by {Signal.Name(x.Status.Signal)}{(x.Status.CoreDumped ? " (core dumped)" : "")} +++"
            : $"+++ exited with {x.Status.Code} +++",
        PreemptionEvent { LoopWords: { } words } p => $"--- preempted at {p.Registers.Pc} after {p.RunNanos / 1000} µs, in a loop writing {string.Join(", ", words.Select(w => w.Address))} ---",
        PreemptionEvent p => $"--- preempted at {p.Registers.Pc} after {p.RunNanos / 1000} µs ---",
        CodePatchEvent c => $"--- syscall site {c.Writes[^1].Address} patched to Rewind's hook{(c.Mapped.Count > 0 ? $", stubs mapped at {string.Join(", ", c.Mapped)}" : "")} ---",
        _ => e.GetType().Name,
    };

    /// <summary>What the trace adds to a syscall: the file a mapping holds.</summary>
    private static string Extra(SyscallEvent s) => s.Mapping is { } m ? $" <{m.Path} +0x{m.FileOffset:x}>" : "";

    public static string StreamName(int fd) => fd == 1 ? "stdout" : "stderr";

    /// <summary>siginfo's first fields (si_signo, si_errno, si_code; then si_addr of a fault or the sender's pid and uid).</summary>
    private static string SigInfo(SignalEvent g)
    {
        if (g.SigInfo.Length < 24)
        {
            return "{}";
        }
        int code = BitConverter.ToInt32(g.SigInfo, 8);
        string rest = g.Synchronous
            ? $"si_addr={StraceText.Hex(BitConverter.ToUInt64(g.SigInfo, 16))}"
            : $"si_pid={BitConverter.ToInt32(g.SigInfo, 16)}, si_uid={BitConverter.ToUInt32(g.SigInfo, 20)}";
        return $"{{si_signo={Signal.Name(g.Signal)}, si_code={SigCode(g.Signal, code)}, {rest}}}";
    }

    private static string SigCode(int signal, int code) => (signal, code) switch
    {
        (_, 0) => "SI_USER",
        (_, 0x80) => "SI_KERNEL",
        (_, -1) => "SI_QUEUE",
        (_, -6) => "SI_TKILL",
        (Signal.SIGSEGV, 1) => "SEGV_MAPERR",
        (Signal.SIGSEGV, 2) => "SEGV_ACCERR",
        (Signal.SIGCHLD, 1) => "CLD_EXITED",
        (Signal.SIGCHLD, 2) => "CLD_KILLED",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
