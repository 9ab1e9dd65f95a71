using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind;

public sealed partial class Tracee
{
    /// <summary>
    /// For a snapshot (<see cref="ForkSnapshot"/>), the process it is a copy of, which is its
    /// parent: once ended, it stays a zombie child of that process until the process waits for it
    /// (it never will: it was never told of it).
    /// </summary>
    public int? SnapshotOf { get; private set; }

    /// <summary>
    /// Reaps <paramref name="ended"/>, snapshots of this process that are gone and so its zombie
    /// children (<see cref="SnapshotOf"/>), by a wait4 of each pid injected into this thread; the
    /// list is emptied. Each is a specific pid: none of the program's own children is touched.
    /// </summary>
    public void ReapSnapshots(List<int> ended)
    {
        foreach (int pid in ended)
        {
            InjectSyscall(Nr.wait4, (ulong)pid, 0, Interop.__WALL | Interop.WNOHANG, 0);
        }
        ended.Clear();
    }

    /// <summary>
    /// A copy-on-write snapshot of this process (shared/DESIGN.md §5): an injected fork (a clone
    /// with no exit signal, so the program is never told of it and no wait(2) of its finds it), whose
    /// child is kept stopped with this tracee's registers as they are now. It costs milliseconds
    /// whatever the memory size. The child inherits the seccomp filter and the rdtsc trap; resume
    /// a snapshot by forking it again, so that it stays intact for the next time.
    /// The tracee must be stopped where no syscall is half done (not at a seccomp stop whose
    /// syscall is still to run).
    /// The snapshot dies with its tracer (PTRACE_O_EXITKILL), whatever this tracee was seized
    /// with: let go by a tracer that died (a `rewind hibernate` killed while it writes the image),
    /// it would run the program on from this moment, a second copy of it beside the real one. A
    /// live process's tracer does not set it on the process itself (<see cref="Hibernation.LiveProcess"/>).
    /// </summary>
    public Tracee ForkSnapshot()
    {
        Registers regs = GetRegisters();
        // A fork refuses to finish while a signal is pending (-ERESTARTNOINTR): with a frequent
        // timer and much memory to copy it would never finish. Signals wait until it has.
        ulong mask = GetSignalMask();
        SetSignalMask(ulong.MaxValue);
        long pid;
        try
        {
            // Until it is traced with PTRACE_O_EXITKILL below, a child whose tracer died would go
            // on from the syscall instruction: with a stack pointer no memory is at (the first
            // pages are never mapped, mmap_min_addr), it faults at its first use of the stack
            // rather than return into the program. It gets the program's registers once it has the option.
            pid = InjectSyscall(Nr.clone, 0, UnmappedStack, 0, 0, 0);
        }
        finally
        {
            SetSignalMask(mask);
        }
        if (pid <= 0)
        {
            throw new ErrnoException($"fork in {this}", (int)-pid);
        }
        var child = Adopt(Created("fork"));
        child.SnapshotOf = Tgid;
        // A child of a seized tracee starts in a PTRACE_EVENT_STOP (ptrace(2), "Attaching and detaching").
        var status = child.Wait();
        if (!status.Stopped)
        {
            throw new RewindException($"the snapshot process {pid} did not stop ({status})");
        }
        child.SetOptions(_options | Interop.PTRACE_O_EXITKILL);
        regs.OrigRax = ulong.MaxValue;
        child.SetRegisters(regs);
        child.SetSignalMask(mask);
        child.UseSyscallGadget(_syscallGadget);
        return child;
    }

    /// <summary>A snapshot's stack pointer until it has the program's registers (clone(2)'s stack argument).</summary>
    private const ulong UnmappedStack = 0x10;

    /// <summary>
    /// A <see cref="ForkSnapshot()"/> of a recorded program that leaves out the System V segments
    /// the process has attached, and returns their regions. A fork attaches each one again
    /// (fork(2)), and the program would see it: shm_nattch, shm_atime and shm_lpid change, and a
    /// segment removed with IPC_RMID lives on until the snapshot ends (shmctl(2)). They are
    /// marked MADV_DONTFORK for the fork and MADV_DOFORK after it (madvise(2)); the program never
    /// marks one so itself, since Rewind skips that advice (<see cref="Syscalls.SyscallTable.IsSkippedAdvice"/>).
    /// </summary>
    public (Tracee Snapshot, IReadOnlyList<MemoryRegion> Segments) ForkSnapshotWithoutSegments()
    {
        var segments = AddressSpace.Read(Tgid).Regions.Where(r => r.IsSysVSegment).ToList();
        Advise(segments, Interop.MADV_DONTFORK);
        try
        {
            return (ForkSnapshot(), segments);
        }
        finally
        {
            Advise(segments, Interop.MADV_DOFORK);
        }
    }

    private void Advise(IEnumerable<MemoryRegion> regions, int advice)
    {
        foreach (var region in regions)
        {
            InjectSyscallChecked("madvise", Nr.madvise, region.Start.Value, region.Length, (ulong)advice);
        }
    }

    /// <summary>
    /// Closes every file descriptor of this process (close_range(2)). A snapshot kept for its
    /// memory alone must not hold the program's pipes open: a reader of one (make's jobserver at
    /// its end) would wait forever for the end of file.
    /// </summary>
    public void CloseDescriptors() => InjectSyscallChecked("close_range", Nr.close_range, 0, uint.MaxValue, 0);

    private const ulong ThreadCloneFlags = CloneFlags.Vm | CloneFlags.Fs | CloneFlags.Files | CloneFlags.SigHand | CloneFlags.Thread | CloneFlags.SysVSem;

    /// <summary>
    /// What the kernel keeps for this stopped thread that a copy of it needs: registers, FPU/AVX
    /// state, signal mask, alternate signal stack and robust futex list (read by syscalls injected
    /// into it), and <paramref name="clearChildTid"/>, which the caller knows (the recorder from set_tid_address(2); else <see cref="ClearChildTidAddress"/>).
    /// </summary>
    public ThreadState CaptureState(RemotePtr clearChildTid)
    {
        var regs = GetRegisters();
        var scratch = ScratchBelowStack(regs);
        byte[] saved = ReadBytes(scratch, 64);
        InjectSyscallChecked("sigaltstack", Nr.sigaltstack, 0, scratch.Value);
        InjectSyscallChecked("get_robust_list", Nr.get_robust_list, 0, (scratch + 32).Value, (scratch + 40).Value);
        byte[] kernel = ReadBytes(scratch, 48);
        Write(scratch, saved);
        var status = ProcStatus.ReadThread(Tgid, Pid);
        return new ThreadState(regs, GetExtendedState(), status.Blocked, kernel[..24], BitConverter.ToUInt64(kernel, 32), BitConverter.ToUInt64(kernel, 40), clearChildTid);
    }

    /// <summary>
    /// The task the syscall injected last made, by the id we know it by: the kernel's message at
    /// its PTRACE_EVENT_FORK or _CLONE stop (ptrace(2), PTRACE_GETEVENTMSG: in the tracer's pid
    /// namespace). A fork's own result names the child in the pid namespace of the process that
    /// forked, which is not ours for a process resumed in a pid namespace of its own.
    /// </summary>
    private int _created;

    private int Created(string call) => _created != 0 ? _created : throw new RewindException($"the {call} injected into {this} made no process we trace");

    /// <summary>
    /// Injects a clone3 whose child gets <paramref name="tid"/> as its pid or tid in this process's
    /// pid namespace (set_tid, Linux 5.5): allowed with CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN
    /// over that namespace, and only while that number is free. Returns the child's id as we
    /// know it, or null when the kernel refused.
    /// </summary>
    private int? TryCloneWithTid(ulong flags, int exitSignal, int tid)
    {
        // struct clone_args (88 bytes), then the one-entry set_tid array it points to: the id in the
        // innermost pid namespace, the child's own.
        var args = new byte[96];
        BitConverter.TryWriteBytes(args.AsSpan(0), flags);
        BitConverter.TryWriteBytes(args.AsSpan(32), (ulong)exitSignal);
        BitConverter.TryWriteBytes(args.AsSpan(72), 1UL);
        BitConverter.TryWriteBytes(args.AsSpan(88), tid);
        try
        {
            InjectSyscallWithBuffer("clone3", Nr.clone3, args, at =>
            {
                BitConverter.TryWriteBytes(args.AsSpan(64), at + 88);
                return [at, 88];
            });
            return Created("clone3");
        }
        catch (ErrnoException)
        {
            return null;
        }
    }

    /// <summary>Injects a clone with <paramref name="flags"/> and no stack of its own; returns the child's id as we know it.</summary>
    private int Clone(string name, ulong flags)
    {
        InjectSyscallChecked(name, Nr.clone, flags, 0, 0, 0, 0);
        return Created(name);
    }

    /// <summary>
    /// This stopped process copied into a child of its parent (CLONE_PARENT: a stub's is `rewind
    /// resume`), stopped and traced by us: under pid <paramref name="pid"/> where the kernel allows
    /// it (<see cref="TryCloneWithTid"/>), else under the next free one. The caller disposes of this one.
    /// </summary>
    public Tracee ForkSibling(int pid) =>
        // With CLONE_PARENT the child's exit signal is this process's own (clone3 refuses another).
        StoppedCopy(TryCloneWithTid(CloneFlags.Parent, 0, pid) ?? Clone("clone(CLONE_PARENT)", CloneFlags.Parent));

    /// <summary>
    /// This stopped process copied into a child of its own, as a fork makes one (SIGCHLD its exit
    /// signal, so its parent's wait4 finds it), stopped and traced by us: under pid
    /// <paramref name="pid"/> where the kernel allows it (<see cref="TryCloneWithTid"/>), else under the next free one.
    /// </summary>
    public Tracee ForkChild(int pid) => StoppedCopy(TryCloneWithTid(0, Signal.SIGCHLD, pid) ?? Clone("clone(SIGCHLD)", Signal.SIGCHLD));

    /// <summary>A copy of this process the kernel attached for us, at its first stop, outside any syscall.</summary>
    private static Tracee StoppedCopy(int pid)
    {
        var child = Adopt(pid);
        var status = child.Wait();
        if (!status.Stopped)
        {
            throw new RewindException($"the process {pid} made for resume did not stop ({status})");
        }
        var regs = child.GetRegisters();
        regs.OrigRax = ulong.MaxValue;
        child.SetRegisters(regs);
        return child;
    }

    /// <summary>The thread's clear-child-tid word (set_tid_address(2)), read back with prctl(PR_GET_TID_ADDRESS).</summary>
    public RemotePtr ClearChildTidAddress()
    {
        const int PR_GET_TID_ADDRESS = 40;
        return new RemotePtr(BitConverter.ToUInt64(InjectSyscallWithBuffer("prctl(PR_GET_TID_ADDRESS)", Nr.prctl, new byte[8], at => [PR_GET_TID_ADDRESS, at]).Buffer));
    }

    /// <summary>
    /// Adds a thread to this (stopped, snapshot) process and gives it <paramref name="state"/>: an
    /// injected clone whose child starts in a PTRACE_EVENT_STOP, then the per-thread kernel state
    /// set by syscalls injected into the child, then its registers (shared/DESIGN.md §5).
    /// </summary>
    public Tracee CloneThread(ThreadState state, int? wantedTid = null)
    {
        int tid = (wantedTid is { } wanted ? TryCloneWithTid(ThreadCloneFlags, 0, wanted) : null) ?? Clone("clone(thread)", ThreadCloneFlags);
        var thread = AdoptThread(tid);
        var status = thread.Wait();
        if (!status.Stopped)
        {
            throw new RewindException($"the recreated thread {tid} did not stop ({status})");
        }
        thread.Become(state);
        return thread;
    }

    /// <summary>
    /// Gives this stopped thread <paramref name="state"/>: its signal mask, alternate stack, robust
    /// futex list and clear-child-tid word by injected syscalls, then its registers and FPU/AVX state.
    /// </summary>
    public void Become(ThreadState state)
    {
        var scratch = ScratchBelowStack(state.Registers);
        byte[] saved = ReadBytes(scratch, 32);
        const int SIG_SETMASK = 2, SS_DISABLE = 2;
        Write(scratch, BitConverter.GetBytes(state.BlockedSignals));
        InjectSyscallChecked("rt_sigprocmask", Nr.rt_sigprocmask, SIG_SETMASK, scratch.Value, 0, 8);
        if ((BitConverter.ToInt32(state.AltStack, 8) & SS_DISABLE) == 0)
        {
            Write(scratch, state.AltStack);
            InjectSyscallChecked("sigaltstack", Nr.sigaltstack, scratch.Value, 0);
        }
        Write(scratch, saved);
        RestoreFutexState(state);
        SetRegisters(state.Registers);
        if (state.ExtendedState.Length > 0)
        {
            SetExtendedState(state.ExtendedState);
        }
    }

    /// <summary>Gives this thread the robust futex list and clear-child-tid word of <paramref name="state"/>, which the kernel acts on at its exit.</summary>
    public void RestoreFutexState(ThreadState state)
    {
        if (state.RobustList != 0)
        {
            InjectSyscallChecked("set_robust_list", Nr.set_robust_list, state.RobustList, state.RobustListLength);
        }
        if (!state.ClearChildTid.IsNull)
        {
            InjectSyscallChecked("set_tid_address", Nr.set_tid_address, state.ClearChildTid.Value);
        }
    }
}
