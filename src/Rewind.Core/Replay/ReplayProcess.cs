namespace Rewind.Replay;

/// <summary>
/// A process of the replayed program: the first one, restored from a checkpoint, or one that a
/// replayed process created again by forking, as recorded (<see cref="Trace.NewProcessEvent"/>).
/// What belongs to the process and not to a thread: its address space's breakpoints, its program
/// break, its CPU clock.
/// </summary>
internal sealed class ReplayProcess(int recorded, Tracee leader, ulong programBreak, BreakpointTable breakpoints)
{
    /// <summary>Its pid when recorded, which the trace's events of its main thread name.</summary>
    public int Recorded { get; } = recorded;

    /// <summary>The thread group leader that plays it now, whose death is the process's.</summary>
    public Tracee Leader { get; } = leader;

    /// <summary>The program break, as the checkpoint and the last brk left it.</summary>
    public ulong ProgramBreak { get; set; } = programBreak;

    /// <summary>The breakpoints in its memory: a user's (in the process debugged) and replay's own while it searches a place.</summary>
    public BreakpointTable Breakpoints { get; } = breakpoints;

    /// <summary>The CPU time each of its threads used since its last event.</summary>
    public ThreadCpu Cpu { get; } = new(leader.Tgid, new Tid(recorded));

    /// <summary>
    /// The process this one is a copy of (<see cref="ReplaySession.Fork"/>), which it is a child of;
    /// null for one restored from a checkpoint or made by the program.
    /// </summary>
    public ReplayProcess? Origin { get; init; }

    /// <summary>
    /// Its copies that are gone: zombie children of it, until a wait4 injected before its next
    /// copy reaps them (a debugging session forks and drops copies as it travels).
    /// </summary>
    public List<int> DeadCopies { get; } = [];

    public override string ToString() => $"process {Recorded}";
}
