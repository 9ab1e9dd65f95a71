namespace Rewind.Recording;

/// <summary>
/// One process of the recorded program: the first one, or one that a recorded process created
/// (fork, vfork, clone without CLONE_THREAD). Its threads are <see cref="RecordedThread"/>s of the
/// same session, scheduled with every other process's (shared/DESIGN.md §9), so memory they share
/// is written in the order the log has.
/// </summary>
internal sealed class RecordedProcess(Tracee leader)
{
    /// <summary>Its id, the tid of its first thread.</summary>
    public int Pid { get; } = leader.Tgid;

    /// <summary>Its thread group leader, whose death is the process's (it outlives its thread as a zombie).</summary>
    public Tracee Leader { get; } = leader;

    /// <summary>The CPU time each of its threads used since its last event.</summary>
    public ThreadCpu Cpu { get; } = new(leader.Tgid, leader.Tid);

    /// <summary>It runs an image whose exec was logged: a later execve is the program's own, with an exec event.</summary>
    public bool Execed { get; set; }

    /// <summary>Its scratch memory for the buffers of syscalls that wait while other threads run (<see cref="OutputRedirect"/>).</summary>
    public ScratchPool? Scratch { get; set; }

    /// <summary>Its syscall sites patched to Rewind's page of hooked syscalls; null where it patches none (it shares its memory with the process that created it).</summary>
    public SyscallSites? Sites { get; set; }

    /// <summary>The program break, as the exec's image and the last brk left it.</summary>
    public ulong? ProgramBreak { get; set; }

    /// <summary>
    /// Whether its image shares the recorder's time namespace, whose clocks the recorder reads
    /// (<see cref="TimeRead"/>); null until its first time read since its exec. Only an exec
    /// changes it: it enters the namespace its process made for its children (time_namespaces(7);
    /// setns is refused), and a new process is a new <see cref="RecordedProcess"/>.
    /// </summary>
    public bool? SharesRecorderClocks { get; set; }

    /// <summary>
    /// It allocated a memory protection key (pkey_alloc(2)) since its exec, or its parent had when
    /// it forked: its pages may deny the program writes that the recorder's are not refused
    /// (<see cref="Tracee.WriteAsProgram"/>).
    /// </summary>
    public bool ProtectionKeys { get; set; }

    /// <summary>
    /// The ranges it sealed (mseal(2)) since its exec, or its parent had when it forked: a seal is
    /// never lifted and a sealed mapping never unmapped or moved, so they stay sealed while the
    /// image lives, and its checkpoints save them so (<see cref="Checkpoints.SavedRegion.Sealed"/>).
    /// </summary>
    public List<(RemotePtr Start, RemotePtr End)> Sealed { get; init; } = [];

    /// <summary>
    /// Its snapshots that Rewind ended (<see cref="Tracee.SnapshotOf"/>): zombie children of it
    /// until a wait4 injected before its next snapshot reaps them, so a long recording leaves no
    /// trail of them (one per checkpoint) in the program's process table and its RLIMIT_NPROC.
    /// </summary>
    public List<int> DeadSnapshots { get; } = [];

    public override string ToString() => $"process {Pid}";
}
