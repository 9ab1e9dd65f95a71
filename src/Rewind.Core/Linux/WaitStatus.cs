namespace Rewind.Linux;

/// <summary>What waitpid(2) said about a tracee, decoded as wait(2)'s macros do.</summary>
public readonly record struct WaitStatus(int Raw)
{
    public bool Exited => (Raw & 0x7f) == 0;

    public int ExitCode => (Raw >> 8) & 0xff;

    public bool Signaled => !Exited && (Raw & 0xff) != 0x7f;

    public int TermSignal => Raw & 0x7f;

    public bool CoreDumped => (Raw & 0x80) != 0;

    public bool Stopped => (Raw & 0xff) == 0x7f;

    public int StopSignal => (Raw >> 8) & 0xff;

    /// <summary>The PTRACE_EVENT_* of an event stop, 0 otherwise.</summary>
    public int PtraceEvent => Raw >> 16;

    /// <summary>A syscall-stop, told apart by PTRACE_O_TRACESYSGOOD's 0x80.</summary>
    public bool IsSyscallStop => Stopped && StopSignal == (Signal.SIGTRAP | 0x80);

    public bool IsEvent(int ptraceEvent) => Stopped && PtraceEvent == ptraceEvent;

    public const int EventFork = 1;
    public const int EventVfork = 2;
    public const int EventClone = 3;
    public const int EventExec = 4;
    public const int EventVforkDone = 5;
    public const int EventExit = 6;
    public const int EventSeccomp = 7;
    public const int EventStop = 128;

    public override string ToString() =>
        Exited ? $"exited {ExitCode}"
        : Signaled ? $"killed by {Signal.Name(TermSignal)}"
        : PtraceEvent != 0 ? $"event {PtraceEvent}"
        : $"stopped by {Signal.Name(StopSignal & 0x7f)}";
}
