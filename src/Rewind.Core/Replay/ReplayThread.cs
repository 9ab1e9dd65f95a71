using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// A thread of a replayed process: the tid it had when recorded (which the program saw, and the
/// trace's events name), the tracee that plays it now, and its name as the log tells it.
/// </summary>
internal sealed class ReplayThread(Tid recorded, Tracee tracee, string name, ReplayProcess process, ThreadSignals signals)
{
    public Tid Recorded { get; } = recorded;

    public Tracee Tracee { get; } = tracee;

    public ReplayProcess Process { get; } = process;

    /// <summary>Its signal state as the program set it, put back after replay's traps.</summary>
    public ThreadSignals Signals { get; } = signals;

    /// <summary>Its comm (<see cref="ProgramThread"/>); the replaying kernel's is not kept up to date.</summary>
    public string Name { get; set; } = name;

    /// <summary>Its last event reproduced, with its index; null when it has had none since the replay started.</summary>
    public (long Index, TraceEvent Event)? LastEvent { get; set; }

    /// <summary>Its clear-child-tid word (CLONE_CHILD_CLEARTID, set_tid_address): a copy of the thread needs it, and no interface reads it back.</summary>
    public RemotePtr ClearChildTid { get; set; }

    /// <summary>The entry registers of the syscall by which it created a process, while it waits at that syscall's exit for its result event.</summary>
    public Registers? CreatingEntry { get; set; }

    public override string ToString() => $"thread {Recorded}";
}
