using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const long ENOSYS = 38;
    private const ulong PrGetSeccomp = 21;

    /// <summary>Whether Rewind itself runs under a seccomp filter (a container's), which the program would have inherited without it.</summary>
    private static readonly bool RecorderFiltered = Checkpoints.ProcStatus.SeccompMode(Environment.ProcessId) == 2;

    /// <summary>The seccomp stop before a syscall runs: refuse what cannot be replayed, then run it to its exit.</summary>
    private void OnSyscallEntry()
    {
        var regs = _current.Tracee.GetRegisters();
        if (_current.Signals.Follow(_current.Tracee, regs))
        {
            // Not an event (replay lets it run and follows it too): only the signal state the recorder puts back after its traps.
            Go(Resume.Continue);
            return;
        }
        int nr = regs.SyscallNumber;
        var restarted = nr == Nr.restart_syscall ? _current.Restartable : null;
        if (restarted == null)
        {
            ForgetRestartable();
        }
        // A call cut short by a stop of ours, which no signal acted on, goes on as restart_syscall:
        // in the log it is still that call, entered once (its entry maybe logged already) and ended once.
        var goesOn = _current.GoesOnUnseen ? restarted?.Entry : null;
        _current.GoesOnUnseen = false;
        if (_current.Filters.Count > 0 && ProgramFilter.AnswerOwnTrace(_current.Tracee, regs))
        {
            Go(Resume.Continue);
            return;
        }
        if (X32Abi.Runs(nr))
        {
            throw new UnsupportedException($"the program made an x32 syscall, {SyscallTable.Name(nr - X32Abi.SyscallBit)} (x32 number {nr - X32Abi.SyscallBit}); Rewind records 64-bit syscalls only");
        }
        if (!SyscallTable.IsLinuxSyscall(nr))
        {
            // No such syscall here (an x32 number included, where the kernel has no x32 ABI):
            // ENOSYS, as from the kernel, with no event; replay answers it alike.
            regs.OrigRax = ulong.MaxValue;
            regs.Rax = unchecked((ulong)-ENOSYS);
            _current.Tracee.SetRegisters(regs);
            Go(Resume.Continue);
            return;
        }
        if (nr == Nr.madvise && SyscallTable.IsSkippedAdvice(regs.Arg(2)))
        {
            regs.OrigRax = ulong.MaxValue;
            regs.Rax = 0;
            _current.Tracee.SetRegisters(regs);
            Go(Resume.Continue);
            return;
        }
        if (nr == Nr.sigaltstack)
        {
            // Not an event (replay lets it run): only watched, for checkpoints (TracingSetup.BeforeExec).
            _current.SyscallEntry = regs;
            Go(Resume.Syscall);
            return;
        }
        // Every call from here on is an event, logged now or at its exit.
        LogTimeReads();
        var spec = SyscallTable.Find(nr);
        if (spec == null || spec.Replay == ReplayKind.Unsupported)
        {
            throw new UnsupportedException($"the program called {SyscallTable.Name(nr)} (syscall {nr}), which Rewind cannot record: {spec?.Refusal ?? "it is not in its table"}");
        }
        if (spec.Withheld != null)
        {
            _withheld.TryAdd(spec.Name, spec.Withheld);
            Emulate(regs, -ENOSYS);
            return;
        }
        CheckClone(regs);
        TakeOffUntraced(regs);
        if (SetTimeStampMode(regs) || SetCpuidMode(regs))
        {
            return;
        }
        switch (nr)
        {
            case Nr.rseq:
                // Restartable sequences let the kernel rewrite memory on preemption; glibc works without them.
                Emulate(regs, -ENOSYS);
                return;
            case Nr.seccomp or Nr.prctl when ProgramFilter.Requested(_current.Tracee, nr, regs.Args()) is { } filter:
                Emulate(regs, InstallFilter(filter));
                return;
            case Nr.prctl when regs.Arg(0) == PrGetSeccomp:
                // Rewind's own filter is no filter of the program's: it sees its own mode.
                Emulate(regs, _current.Filters.Count > 0 || RecorderFiltered ? 2 : 0);
                return;
            case Nr.exit_group:
                // Never returns: logged now; the process's end comes as its exit status.
                Log(regs, regs.Result, []);
                _current.Tracee.Resume(Resume.Continue);
                _current.Exiting = true;
                return;
            case Nr.exit:
                // The thread's end; the process's, if it is the last one.
                Log(regs, regs.Result, []);
                ExitThread();
                return;
        }
        _current.SyscallEntry = goesOn ?? regs;
        _current.EnteredAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (goesOn == null)
        {
            _current.EntryUnlogged = true;
            // Read now: a successful execve leaves no trace of the old memory.
            _current.EntryPaths = SyscallPaths.Read(_current.Tracee, nr, regs.Args());
        }
        _current.OwnSignalMask = SyscallTable.WaitMaskAddress(nr, regs.Args(), _current.Tracee) != null ? _current.Tracee.GetSignalMask() : null;
        BeforeThreadWrite(regs);
        // restart_syscall writes where the call it goes on with was told to (RecordedThread.Restartable).
        _current.Redirect = restarted?.Redirect;
        // A write to the program's own stdout or stderr runs alone, so that the log has the order
        // in which the bytes came out; its reader is outside the program, which it cannot wait for.
        if (_threads.Count > 1 && SyscallTable.MayBlock(nr, regs.Args()) && _current.OutputStream == null)
        {
            if (restarted == null && _current.Process.Scratch is { } scratch)
            {
                _current.Redirect = OutputRedirect.Apply(_current.Tracee, regs, scratch);
            }
            EnterBlocking();
            return;
        }
        if (TimeRead.Answer(_current, regs) is { } answer)
        {
            // Answered here, its memory written: the call is skipped (orig_rax -1, seccomp(2)),
            // and this stop serves as its exit, which logs it as the kernel's answer would be.
            regs.OrigRax = ulong.MaxValue;
            regs.Rax = (ulong)answer;
            _current.Tracee.SetRegisters(regs);
            OnSyscallExit();
            return;
        }
        Go(Resume.Syscall);
    }

    /// <summary>
    /// The syscall-exit stop, or the seccomp stop of a call answered there (<see cref="TimeRead"/>):
    /// log the result and every byte the kernel (or the answer) wrote.
    /// </summary>
    private void OnSyscallExit()
    {
        if (_current.SyscallEntry is not { } entry)
        {
            // The exit of a syscall we did not enter (the launcher's execve): nothing to log.
            Go(Resume.Continue);
            return;
        }
        _current.SyscallEntry = null;
        PutBackUntraced(entry);
        TimeLeft.PutBack(_current, entry);
        var exit = _current.Tracee.GetRegisters();
        long result = exit.Result;
        if (KeepThreadState(entry, result))
        {
            Go(Resume.Continue);
            return;
        }
        var spec = SyscallTable.Find(entry.SyscallNumber)!;
        AnswerTimeStampMode(entry, result);
        ShowOwnCpus(entry, result);
        if (result == 0 && (entry.SyscallNumber == Nr.iopl && entry.Arg(0) != 0 || entry.SyscallNumber == Nr.ioperm && entry.Arg(2) != 0))
        {
            throw new UnsupportedException($"the program was granted I/O port access ({spec.Name}), and what its port reads return is not recorded");
        }
        // restart_syscall writes what the call it goes on with writes, where that call was told to.
        var call = entry.SyscallNumber == Nr.restart_syscall && _current.Restartable is { } restartable ? restartable.Entry : entry;
        var capture = new OutputCapture(_current.Tracee, _current.Redirect?.KernelArgs ?? call.Args(), result);
        SyscallTable.Find(call.SyscallNumber)!.Outputs?.Invoke(capture);
        if (RefilledFromFiles(entry, result) is var (start, length))
        {
            CaptureFilePages(capture, start, length);
        }
        if (_current.VforkChild is { } vforked)
        {
            vforked.Capture(_current.Tracee, capture);
            Discard(vforked.Snapshot);
            _current.VforkChild = null;
        }
        else if (SharedStackChild(entry))
        {
            CaptureStackOfVfork(capture, entry.Sp);
        }
        if (spec.Replay == ReplayKind.Brk)
        {
            _current.Process.ProgramBreak = (ulong)result;
        }
        if (entry.SyscallNumber == Nr.pkey_alloc && result >= 0)
        {
            _current.Process.ProtectionKeys = true;
        }
        if (entry.SyscallNumber == Nr.mseal && result == 0)
        {
            // mseal(addr, len, flags) seals whole pages, len rounded up.
            _current.Process.Sealed.Add((new RemotePtr(entry.Arg(0)), new RemotePtr(AddressSpace.PageUp(entry.Arg(0) + entry.Arg(1)))));
        }
        var (mapping, shared, pastEnd) = MappingOf(entry, result);
        var writes = _current.Redirect?.CopyBack(_current.Tracee, capture.Writes) ?? capture.Writes;
        KeepRestartable(call, result);
        _current.Redirect = null;
        var output = _current.OutputStream is { } stream ? StandardStreams.Written(_current.Tracee, stream, entry.SyscallNumber, entry.Args(), result) : null;
        Streams.Opened(_current.Tracee, entry.SyscallNumber, result, _processes.Select(p => p.Pid));
        // Output is kept whole; any other write or send keeps a digest of its bytes for replay to check.
        var sent = output == null ? SentBytes.Digest(_current.Tracee, entry.SyscallNumber, entry.Args(), result) : null;
        var e = new SyscallEvent(_current.Tid, Now, entry.SyscallNumber, entry.Args(), result, new RemotePtr(entry.Rip),
            writes, mapping, output, shared, _current.EntryPaths, sent, FileChangeOf(entry, result), pastEnd);
        if (Errno.IsRestart(result))
        {
            // Whether the program sees this result depends on the stop that comes next (HeldRestart).
            _current.HeldRestart = e;
        }
        else
        {
            Append(e);
            _current.EntryUnlogged = false;
            PatchSite(entry);
        }
        AfterThreadWrite();
        if (entry.SyscallNumber == Nr.sched_yield)
        {
            Yield();
        }
        if (CheckpointDue(result))
        {
            TakeCheckpoint();
        }
        Go(Resume.Continue);
    }

    /// <summary>
    /// After a syscall's event: its site patched to Rewind's page of hooked syscalls, if the page
    /// makes it and the site can be (<see cref="SyscallSites"/>); not in a process with seccomp
    /// filters of its own, where the page's calls all take the kernel's way.
    /// </summary>
    private void PatchSite(in Registers entry)
    {
        if (_current.Filters.Count == 0 && !SyscallHookPage.Contains(new RemotePtr(entry.Rip))
            && _current.Process.Sites?.Patch(_current.Tracee, entry, _current.Tid, Now) is { } patch)
        {
            Append(patch);
        }
    }

    private void Emulate(Registers regs, long result)
    {
        Log(regs, result, []);
        regs.OrigRax = ulong.MaxValue;
        regs.Rax = (ulong)result;
        _current.Tracee.SetRegisters(regs);
        Go(Resume.Continue);
    }

    /// <summary>
    /// Installs a seccomp filter of the program's in the thread in hand, or in every thread of its
    /// process for TSYNC (<see cref="ProgramFilter"/>); returns the kernel's answer.
    /// </summary>
    private long InstallFilter(ProgramFilter filter)
    {
        var process = _threads.Where(t => t.Process == _current.Process).ToList();
        long result = filter.Install(_current.Tracee, process.Select(t => t.Tracee));
        if (result == 0)
        {
            IReadOnlyList<ProgramFilter> filters = [.. _current.Filters, filter];
            foreach (var t in filter.Synchronizes ? process : [_current])
            {
                t.Filters = filters;
            }
            TimeReadPage.Disable(_current.Tracee);
        }
        return result;
    }

    /// <summary>
    /// What a checkpoint of the thread needs and no interface reads back while it waits in the
    /// kernel: its alternate stack, robust list and clear-child-tid word, as it sets them. Returns
    /// true for sigaltstack, which is no event.
    /// </summary>
    private bool KeepThreadState(in Registers entry, long result)
    {
        switch (entry.SyscallNumber)
        {
            case Nr.sigaltstack:
                if (result == 0 && entry.Arg(0) != 0)
                {
                    _current.AltStack = _current.Tracee.ReadBytes(new RemotePtr(entry.Arg(0)), 24);
                }
                return true;
            case Nr.set_robust_list when result == 0:
                _current.RobustList = (entry.Arg(0), entry.Arg(1));
                return false;
            case Nr.set_tid_address:
                _current.ClearChildTid = new RemotePtr(entry.Arg(0));
                return false;
            default:
                return false;
        }
    }

    private void Log(in Registers entry, long result, IReadOnlyList<MemoryWrite> writes, IReadOnlyList<string>? paths = null)
    {
        Append(new SyscallEvent(_current.Tid, Now, entry.SyscallNumber, entry.Args(), result, new RemotePtr(entry.Rip), writes, Paths: paths));
        _current.EntryUnlogged = false;
    }

    /// <summary>
    /// A syscall of the thread in hand ended with a restart code (-ERESTART*), held back from the
    /// log. A signal delivered next acts on it, so the program sees it: it is logged before the
    /// signal. Any other stop (our PTRACE_INTERRUPT, a group-stop, the syscall entered again) means
    /// the kernel restarted the syscall as if it had never returned: it is dropped, and the
    /// syscall is logged once, when it really ends; where the kernel goes on with it as
    /// restart_syscall, that is the same call (<see cref="RecordedThread.GoesOnUnseen"/>).
    /// </summary>
    private void SettleHeldRestart(WaitStatus next)
    {
        if (_current.HeldRestart is not { } held)
        {
            return;
        }
        _current.HeldRestart = null;
        if (next.Stopped && next.PtraceEvent == 0 && !next.IsSyscallStop)
        {
            Append(held);
            _current.EntryUnlogged = false;
        }
        else
        {
            _current.GoesOnUnseen = held.Result == -Errno.ERESTART_RESTARTBLOCK;
        }
    }

    /// <summary>
    /// After <paramref name="call"/> (or a restart_syscall going on with it) ended: where with
    /// -ERESTART_RESTARTBLOCK, a restart_syscall may go on with it, in its scratch buffers if it has
    /// some (<see cref="RecordedThread.Restartable"/>); else those go back to the pool.
    /// </summary>
    private void KeepRestartable(in Registers call, long result)
    {
        if (result == -Errno.ERESTART_RESTARTBLOCK)
        {
            _current.Restartable = (call, _current.Redirect);
            return;
        }
        _current.Redirect?.Release();
        _current.Restartable = null;
    }

    /// <summary>
    /// A syscall other than restart_syscall: the one that ended with -ERESTART_RESTARTBLOCK is not
    /// going on (a handler ran instead; sigreturn then forgets it, restore_sigcontext), so its
    /// scratch buffers go back to the pool.
    /// </summary>
    private void ForgetRestartable()
    {
        _current.Restartable?.Redirect?.Release();
        _current.Restartable = null;
    }

    /// <summary>A child sharing our memory but not our thread group would run unrecorded: refuse it.</summary>
    private void CheckClone(in Registers regs)
    {
        ulong flags = CloneFlagsOf(regs);
        if ((flags & (CloneFlags.Vm | CloneFlags.Thread | CloneFlags.Vfork)) == CloneFlags.Vm)
        {
            throw new UnsupportedException("the program created a process sharing its memory (clone with CLONE_VM); this is not supported yet");
        }
    }

    /// <summary>
    /// CLONE_UNTRACED keeps the child from its parent's tracer (ptrace(2)), yet the child carries
    /// our seccomp filter, whose SECCOMP_RET_TRACE fails every syscall with ENOSYS where no tracer
    /// is (seccomp(2)). The flag is taken off for the call, so that the child is served as any
    /// other, and put back at its exit (<see cref="PutBackUntraced"/>).
    /// </summary>
    private void TakeOffUntraced(in Registers entry)
    {
        ulong flags = CloneFlagsOf(entry);
        if ((flags & CloneFlags.Untraced) != 0)
        {
            _current.UntracedCloneFlags = flags;
            SetCloneFlags(entry, flags & ~CloneFlags.Untraced);
        }
    }

    private void PutBackUntraced(in Registers entry)
    {
        if (_current.UntracedCloneFlags is { } flags)
        {
            _current.UntracedCloneFlags = null;
            SetCloneFlags(entry, flags);
        }
    }

    /// <summary>The flags of a clone (its first argument) or clone3 (the first field of its struct clone_args).</summary>
    private void SetCloneFlags(in Registers entry, ulong flags)
    {
        if (entry.SyscallNumber == Nr.clone3)
        {
            _current.Tracee.Write(new RemotePtr(entry.Arg(0)), BitConverter.GetBytes(flags));
            return;
        }
        var regs = _current.Tracee.GetRegisters();
        regs.SetArg(0, flags);
        _current.Tracee.SetRegisters(regs);
    }

    /// <summary>The clone flags of a fork, vfork, clone or clone3 at its entry; 0 for any other syscall.</summary>
    private ulong CloneFlagsOf(in Registers entry) => CloneFlags.Of(entry.SyscallNumber, entry.Arg(0), _current.Tracee);

    /// <summary>A vfork (or clone with CLONE_VM|CLONE_VFORK): the child ran on our memory until it exec'd or exited.</summary>
    private bool SharedStackChild(in Registers entry) =>
        (CloneFlagsOf(entry) & (CloneFlags.Vm | CloneFlags.Vfork)) == (CloneFlags.Vm | CloneFlags.Vfork);

    /// <summary>
    /// A vfork child that is not recorded (a passenger, <c>--no-children</c>) runs on the parent's
    /// stack (vfork(2)) and leaves its writes there, unwatched (<see cref="VforkWrites"/> needs the
    /// child stopped at its start); replay has no child, so what it may have written is logged as
    /// the syscall's output: the stack from 64 KiB below the stack pointer to a page above it.
    /// </summary>
    private void CaptureStackOfVfork(OutputCapture capture, RemotePtr sp)
    {
        if (AddressSpace.Read(_current.Tracee.Pid).Regions.FirstOrDefault(r => r.Contains(sp)) is { } stack)
        {
            ulong from = Math.Max(stack.Start.Value, sp.Value - (64 << 10));
            ulong to = Math.Min(stack.End.Value, sp.Value + AddressSpace.PageSize);
            capture.At(from, (long)(to - from));
        }
    }
}
