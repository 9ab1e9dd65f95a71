using Rewind.Linux;

namespace Rewind.Recording;

/// <summary>
/// One thread of a recorded process, and what the recorder knows of it between its stops.
/// Exactly one thread of the whole program runs its own code at a time (shared/DESIGN.md §9); the
/// others are stopped, or in the kernel in a syscall that may wait for them.
/// </summary>
internal sealed class RecordedThread(Tracee tracee, RecordedProcess process, ThreadSignals signals)
{
    public Tracee Tracee { get; private set; } = tracee;

    public RecordedProcess Process { get; } = process;

    /// <summary>Its signal state as the program set it, put back after the recorder's traps.</summary>
    public ThreadSignals Signals { get; } = signals;

    public Tid Tid => Tracee.Tid;

    /// <summary>Registers at the entry of the syscall in progress, logged with its result at its exit.</summary>
    public Registers? SyscallEntry { get; set; }

    /// <summary>When it entered that syscall (<see cref="System.Diagnostics.Stopwatch"/>'s timestamp): a wait made again after a checkpoint's interrupt is given the time left.</summary>
    public long EnteredAt { get; set; }

    /// <summary>The scratch piece holding the time left of that syscall's timespec, where a checkpoint made it again (<see cref="TimeLeft"/>).</summary>
    public RemotePtr? TimeoutPiece { get; set; }

    /// <summary>The buffers of its syscall in progress moved to scratch memory while it waits in the kernel.</summary>
    public OutputRedirect? Redirect { get; set; }

    /// <summary>The paths the syscall in progress was given, read at its entry (<see cref="Syscalls.SyscallPaths"/>).</summary>
    public IReadOnlyList<string>? EntryPaths { get; set; }

    /// <summary>A stop the kernel reported that the recorder has not handled yet.</summary>
    public WaitStatus? Pending { get; set; }

    /// <summary>How the thread goes on when it is scheduled next; set once its last stop was handled.</summary>
    public (Resume How, int Signal)? Parked { get; set; }

    /// <summary>In the kernel for a syscall that may block, or kept in a group-stop: it runs none of its code before its next stop is handled.</summary>
    public bool InKernel { get; set; }

    /// <summary>The entry of its syscall in progress is not in the log yet; it must be before another thread's event.</summary>
    public bool EntryUnlogged { get; set; }

    /// <summary>It called exit: nothing else runs until it is gone (the kernel clears its tid word as it goes).</summary>
    public bool Exiting { get; set; }

    /// <summary>
    /// Its last stop logged an event of its own, so the log says where it is: other threads may run
    /// before it goes on. After a stop that logged nothing (a preemption that found no place to
    /// switch at, say), it must go on first, or replay would run its code in another order.
    /// </summary>
    public bool AtEvent { get; set; }

    /// <summary>Its last syscall's end, with a restart code, not logged yet (<see cref="RecordSession"/>'s SettleHeldRestart).</summary>
    public Trace.SyscallEvent? HeldRestart { get; set; }

    /// <summary>
    /// Its last syscall ended with -ERESTART_RESTARTBLOCK at a stop of ours (a PTRACE_INTERRUPT
    /// that met it as it entered the call), and no signal acted on it: the restart_syscall(2) the
    /// kernel enters next is that call going on, for the log the same call (<see cref="RecordSession"/>'s SettleHeldRestart).
    /// </summary>
    public bool GoesOnUnseen { get; set; }

    /// <summary>
    /// Its last syscall, if it ended with -ERESTART_RESTARTBLOCK: the kernel keeps its arguments
    /// (poll's descriptors, a sleep's remaining time) in the thread's restart_block, and a
    /// restart_syscall(2) goes on with them, writing where that call was told to: into its buffers
    /// still in scratch memory, if they were moved (<see cref="RecordSession"/>'s restarts).
    /// </summary>
    public (Registers Entry, OutputRedirect? Redirect)? Restartable { get; set; }

    /// <summary>The stream (1 or 2) its syscall in progress writes to, if it writes to the program's stdout or stderr (<see cref="RecordSession"/>'s output order).</summary>
    public int? OutputStream { get; set; }

    /// <summary>Its alternate signal stack (a stack_t), as its last sigaltstack set it.</summary>
    public byte[] AltStack { get; set; } = ThreadState.NoAltStack();

    /// <summary>
    /// The seccomp filters the program installed in it, oldest first (a new thread or process has
    /// its creator's, exec keeps them): a checkpoint's restored process installs them again.
    /// </summary>
    public IReadOnlyList<ProgramFilter> Filters { get; set; } = [];

    /// <summary>Its robust futex list, as set_robust_list registered it.</summary>
    public (ulong Head, ulong Length) RobustList { get; set; }

    /// <summary>Its clear-child-tid word (CLONE_CHILD_CLEARTID, set_tid_address).</summary>
    public RemotePtr ClearChildTid { get; set; }

    /// <summary>
    /// Its own signal mask, read at the entry of its syscall in progress where that call waits with
    /// a mask of its own (<see cref="Syscalls.SyscallTable.WaitMaskAddress"/>): meanwhile the
    /// kernel, and /proc, show the one it waits with. Null for any other call.
    /// </summary>
    public ulong? OwnSignalMask { get; set; }

    /// <summary>Its FPU/AVX state when it went into the kernel in a syscall that may block, read at the entry (it cannot be read while it waits).</summary>
    public byte[]? ExtendedStateInKernel { get; set; }

    /// <summary>
    /// It asked rdtsc to fault (its own prctl(PR_SET_TSC, PR_TSC_SIGSEGV)), which the kernel keeps
    /// per thread, across execve, and copies to a new thread.
    /// </summary>
    public bool TimeStampFaults { get; set; }

    /// <summary>
    /// It asked CPUID to fault (its own arch_prctl(ARCH_SET_CPUID, 0)), which the kernel keeps per
    /// thread, copies to a new thread and clears at execve.
    /// </summary>
    public bool CpuidFaults { get; set; }

    /// <summary>
    /// The CPUs it asked for with sched_setaffinity, as the kernel set them (kept across execve and
    /// copied to a new thread, as the kernel's mask is); null: the recorder's, which it sees
    /// although it runs pinned to the recorder's CPU (<see cref="RecordSession.ShowOwnCpus"/>).
    /// </summary>
    public byte[]? OwnCpus { get; set; }

    /// <summary>While it waits for the child of its vfork: the memory as the child found it (<see cref="VforkWrites"/>).</summary>
    public VforkWrites? VforkChild { get; set; }

    /// <summary>The flags of its clone in progress, whose CLONE_UNTRACED the recorder took off for the call.</summary>
    public ulong? UntracedCloneFlags { get; set; }

    /// <summary>Whether the thread steps into a signal's handler, to read the mask it runs with there.</summary>
    public bool EnteringHandler { get; set; }

    /// <summary>Whether the frame of the handler it steps into has its CPU state cleared there (SignalFrame).</summary>
    public bool ClearingFrame { get; set; }

    /// <summary>
    /// Whether it is parked with a signal that ends its process (no handler, not ignored, a
    /// default action that kills): it runs before any other thread (<see cref="RecordSession"/>'s NextToRun).
    /// </summary>
    public bool Dying { get; set; }

    /// <summary>Asynchronous signals held back, in their order, while the thread steps on to a place replay's probe fits.</summary>
    public List<(int Signal, byte[] Info)> HeldSignals { get; } = [];

    /// <summary>Signals held back during an injected syscall or while stepping, and sent again, with their original siginfo.</summary>
    public RedeliveredSignals Redelivered { get; } = new();

    /// <summary>Has a stop to handle, or can run on.</summary>
    public bool IsReady => !Exiting && (Pending != null || Parked != null);

    /// <summary>
    /// It called execve while not its process's leader, and the kernel gave it the leader's tid
    /// (execve(2), de_thread): from now on it is traced as <paramref name="leader"/>, and its old
    /// tid is gone without a report (ptrace(2), "execve(2) under ptrace").
    /// </summary>
    public void TakeLeaderTid(Tracee leader)
    {
        Tracee.TidTakenOver();
        Tracee = leader;
    }

    public override string ToString() => $"thread {Tid}";
}
