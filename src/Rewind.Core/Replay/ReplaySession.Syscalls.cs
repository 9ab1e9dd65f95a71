using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Replay;

public sealed partial class ReplaySession
{
    /// <summary>
    /// A seccomp stop: the syscall must be the logged one, with the same arguments at the same pc.
    /// Returns a stop when the event ends the motion here (a thread's entry or its exit).
    /// </summary>
    private ReplayStop? OnSyscall(bool step)
    {
        var regs = _tracee.GetRegisters();
        int nr = regs.SyscallNumber;
        if (!SyscallTable.IsLinuxSyscall(nr) || nr == Nr.madvise && SyscallTable.IsSkippedAdvice(regs.Arg(2)))
        {
            // No such syscall: -ENOSYS, as when recorded, with no event. MADV_DONTFORK and
            // MADV_WIPEONFORK are skipped with success as when recorded.
            regs.OrigRax = ulong.MaxValue;
            regs.Rax = nr == Nr.madvise ? 0 : unchecked((ulong)-Errno.ENOSYS);
            _tracee.SetRegisters(regs);
            return null;
        }
        var args = regs.Args();
        if (_next?.Event is SyscallEntryEvent entry)
        {
            if (entry.Number != nr || !entry.Args.AsSpan().SequenceEqual(args) || entry.Pc.Value != regs.Rip)
            {
                throw Diverged($"expected to enter {SyscallTable.Name(entry.Number)}({Join(entry.Args)}) at {entry.Pc}, got {SyscallTable.Name(nr)}({Join(args)}) at 0x{regs.Rip:x}");
            }
            // Its code before the call has run in its place; the call itself comes with its result,
            // later: back before the syscall instruction, to enter it again then.
            _tracee.SetRegisters(regs.BeforeSyscall());
            Advance();
            return new ReplayStop(step ? ReplayStopKind.Step : ReplayStopKind.Event);
        }
        var e = Expect<SyscallEvent>($"syscall {SyscallTable.Name(nr)}");
        if (e.Number != nr || !e.Args.AsSpan().SequenceEqual(args) || e.Pc.Value != regs.Rip)
        {
            throw Diverged($"expected {e.Name}({Join(e.Args)}) at {e.Pc}, got {SyscallTable.Name(nr)}({Join(args)}) at 0x{regs.Rip:x}");
        }
        var spec = SyscallTable.Find(nr)!;
        switch (spec.Replay)
        {
            case ReplayKind.Executed when nr == Nr.exit:
                return ExitThread();
            case ReplayKind.Executed when nr == Nr.exit_group:
                Advance();
                return null;
            case ReplayKind.Executed:
                _onSyscallExit = () => CheckResultAndWrites(e);
                Advance();
                return null;
            case ReplayKind.Mmap when !IsError(e.Result):
                Remap(ref regs, e);
                return null;
            case ReplayKind.Mremap when !IsError(e.Result):
                MoveMapping(ref regs, e);
                return null;
            case ReplayKind.Emulated when nr == Nr.execve && e.Result == 0:
                string program = ProgramThread.CommOf(_tracee.ReadCString(new RemotePtr(e.Args[0])));
                Advance();
                Exec(program);
                return null;
            case ReplayKind.Brk:
                SetBreak(ref regs, e);
                return null;
            case ReplayKind.Clone when !IsError(e.Result) && (CloneFlagsOf(e) & CloneFlags.Thread) != 0:
                CloneThread(ref regs, e);
                return null;
            case ReplayKind.ThreadSetup:
                SetUpThread(regs, e);
                return null;
            default:
                FollowName(e);
                Emulate(ref regs, e);
                return null;
        }
    }

    /// <summary>The flags of a clone (an argument) or clone3 (the first field of its struct clone_args).</summary>
    private ulong CloneFlagsOf(SyscallEvent e) => CloneFlags.Of(e.Number, e.Args[0], _tracee);

    /// <summary>
    /// The program creates a thread: it is created again, the same way. At the exit the kernel's
    /// tid words and result are replaced by the recorded ones (the program knows its threads by the
    /// recorded tids, and every syscall taking one is emulated).
    /// </summary>
    private void CloneThread(ref Registers regs, SyscallEvent e)
    {
        var clearChildTid = CloneFlags.ClearChildTid(e.Number, e.Args, _tracee);
        var original = regs;
        _onSyscallExit = () =>
        {
            long r = _tracee.GetRegisters().Result;
            if (IsError(r) || _cloned == null)
            {
                throw new DivergenceException(NextEvent - 1, $"creating thread {e.Result} again failed ({r})");
            }
            WriteBack(e);
            Restore(original, e.Result);
            // A new thread is named as the one that created it (clone(2) copies comm).
            var thread = new ReplayThread(new Tid((int)e.Result), _cloned, _thread.Name) { ClearChildTid = clearChildTid };
            _cloned = null;
            _threads[thread.Recorded] = thread;
            DebugRegisters.Apply(thread.Tracee, _watchpoints);
        };
        Advance();
    }

    /// <summary>set_tid_address and set_robust_list run again for the kernel's sake; the program sees the recorded result.</summary>
    private void SetUpThread(Registers regs, SyscallEvent e)
    {
        if (e.Number == Nr.set_tid_address)
        {
            _thread.ClearChildTid = new RemotePtr(e.Args[0]);
        }
        _onSyscallExit = () => Restore(regs, e.Result);
        Advance();
    }

    /// <summary>
    /// The recorded process replaced its image. Replay does not run the new program from disk:
    /// the image was saved as a checkpoint at the exec, and a process restored from it goes on.
    /// </summary>
    private void Exec(string program)
    {
        var e = Expect<ExecEvent>("an exec");
        var image = _trace.CheckpointLayout(e.Checkpoint);
        var restored = CheckpointRestore.Restore(_trace, image, _sharedFiles);
        Rewind.Tracee.KillProcess(_leader, _threads.Values.Select(t => t.Tracee));
        _threads.Clear();
        _thread = new ReplayThread(e.Tid, restored, program);
        _threads[e.Tid] = _thread;
        _tracee = _leader = restored;
        _cpu = new ThreadCpu(restored.Tgid, e.Tid);
        CpuPinning.PinWith(restored);
        _programBreak = image.ProgramBreak;
        // Breakpoints and watchpoints name addresses of the old image; they are kept where the new one has memory.
        _breakpoints.InsertAllIntoMemory(_tracee);
        DebugRegisters.Apply(_tracee, _watchpoints);
        Advance();
    }

    /// <summary>Skips the syscall: its result goes into rax and the memory it wrote is written back.</summary>
    private void Emulate(ref Registers regs, SyscallEvent e)
    {
        if (e.Output is { } output)
        {
            // Bytes copied from file to file (sendfile, splice, copy_file_range) were never in memory: they are only shown.
            var written = StandardStreams.Bytes(_tracee, e.Number, e.Args, e.Result);
            if (written != null && !written.AsSpan().SequenceEqual(output.Data))
            {
                throw Diverged($"the program wrote different bytes to {(output.Fd == 1 ? "stdout" : "stderr")} than it did when recorded");
            }
            _output?.Invoke(output.Fd, output.Data);
        }
        WriteBack(e);
        var original = regs;
        // An orig_rax of -1 makes the kernel skip the syscall and leave rax as we set it.
        regs.OrigRax = ulong.MaxValue;
        Advance();
        if ((Errno.IsRestart(e.Result) || e.Result == -Errno.EINTR) && _next?.Event is SignalEvent { Synchronous: false } signal
            && signal.Tid == e.Tid && SyscallTable.WaitMaskAddress(e.Number, e.Args, _tracee) is { } mask && !LeavesProgramAsItWas(signal.Signal))
        {
            // A wait with a signal mask of its own, which let in the signal that ended it: the
            // program's mask blocks it, so only the wait can take it. The wait runs again as
            // rt_sigsuspend with its mask and the signal pending, which leaves the kernel ready to
            // deliver it and then put the program's mask back (TIF_RESTORE_SIGMASK).
            regs.OrigRax = Nr.rt_sigsuspend;
            regs.SetArg(0, mask);
            regs.SetArg(1, 8);
            _tracee.SetRegisters(regs);
            _tracee.SendSignal(signal.Signal);
            _injected = signal;
            _onSyscallExit = () => Restore(original, e.Result);
        }
        else if (Errno.IsRestart(e.Result))
        {
            // A restart code is acted on by signal delivery, which looks at orig_rax: it must hold
            // the real syscall again when the kernel returns to user mode, so set both at the exit stop.
            _tracee.SetRegisters(regs);
            _onSyscallExit = () => Restore(original, e.Result);
        }
        else
        {
            regs.Rax = (ulong)e.Result;
            _tracee.SetRegisters(regs);
        }
    }

    /// <summary>
    /// mmap again at the recorded address (whatever the kernel would choose now), anonymous, then
    /// filled with the file's recorded bytes: replay needs neither the file nor the kernel's layout
    /// policy. A file the program writes through is mapped from its stand-in over that reservation.
    /// </summary>
    private void Remap(ref Registers regs, SyscallEvent e)
    {
        var original = regs;
        ulong flags = e.Args[3] & ~(ulong)Interop.MAP_FIXED_NOREPLACE;
        if (e.Mapping != null || e.Shared != null)
        {
            flags = (flags & ~(ulong)Interop.MAP_SHARED) | Interop.MAP_PRIVATE;
        }
        regs.SetArg(0, (ulong)e.Result);
        regs.SetArg(3, flags | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED);
        regs.SetArg(4, ulong.MaxValue);
        regs.SetArg(5, 0);
        _tracee.SetRegisters(regs);
        _onSyscallExit = () =>
        {
            CheckResult(e);
            Restore(original, e.Result);
            if (e.Mapping is { } m && m.FileOffset < m.FileSize)
            {
                byte[] content = _trace.Blob(m.Blob);
                int length = (int)Math.Min(e.Args[1], m.FileSize - m.FileOffset);
                _tracee.Write(new RemotePtr((ulong)e.Result), content.AsSpan((int)m.FileOffset, length));
            }
            if (e.Shared is { } shared)
            {
                _sharedFiles.Map(_tracee, e, shared, _trace.Blob(shared.Content));
            }
        };
        Advance();
    }

    /// <summary>mremap again; a moved mapping goes to the recorded address.</summary>
    private void MoveMapping(ref Registers regs, SyscallEvent e)
    {
        var original = regs;
        if ((ulong)e.Result != e.Args[0])
        {
            regs.SetArg(3, e.Args[3] | Interop.MREMAP_MAYMOVE | Interop.MREMAP_FIXED);
            regs.SetArg(4, (ulong)e.Result);
            _tracee.SetRegisters(regs);
        }
        _onSyscallExit = () =>
        {
            CheckResultAndWrites(e);
            Restore(original, e.Result);
        };
        Advance();
    }

    /// <summary>
    /// The restored process's kernel break is not the recorded one, so the heap is moved by hand:
    /// the brk becomes an mmap or munmap of the pages between the old and new break.
    /// </summary>
    private void SetBreak(ref Registers regs, SyscallEvent e)
    {
        ulong oldEnd = AddressSpace.PageUp(_programBreak), newEnd = AddressSpace.PageUp((ulong)e.Result);
        _programBreak = (ulong)e.Result;
        if (newEnd == oldEnd)
        {
            Emulate(ref regs, e);
            return;
        }
        var original = regs;
        regs.OrigRax = (ulong)(newEnd > oldEnd ? Nr.mmap : Nr.munmap);
        regs.SetArg(0, Math.Min(oldEnd, newEnd));
        regs.SetArg(1, Math.Max(oldEnd, newEnd) - Math.Min(oldEnd, newEnd));
        regs.SetArg(2, Interop.PROT_READ | Interop.PROT_WRITE);
        regs.SetArg(3, Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED);
        regs.SetArg(4, ulong.MaxValue);
        regs.SetArg(5, 0);
        _tracee.SetRegisters(regs);
        ulong start = Math.Min(oldEnd, newEnd);
        _onSyscallExit = () =>
        {
            long r = _tracee.GetRegisters().Result;
            if (IsError(r) || newEnd > oldEnd && (ulong)r != start)
            {
                throw new DivergenceException(NextEvent - 1, $"moving the program break to 0x{e.Result:x} failed ({r})");
            }
            Restore(original, e.Result);
        };
        Advance();
    }

    /// <summary>
    /// After a syscall replay rewrote: the kernel keeps argument registers across a syscall, so the
    /// program must see its own arguments again, the recorded result, and its syscall in orig_rax.
    /// </summary>
    private void Restore(Registers original, long result)
    {
        var regs = _tracee.GetRegisters();
        for (int i = 0; i < 6; i++)
        {
            regs.SetArg(i, original.Arg(i));
        }
        regs.OrigRax = original.OrigRax;
        regs.Rax = (ulong)result;
        _tracee.SetRegisters(regs);
    }

    private void CheckResult(SyscallEvent e)
    {
        long r = _tracee.GetRegisters().Result;
        if (r != e.Result)
        {
            throw new DivergenceException(NextEvent - 1, $"{e.Name} returned 0x{r:x} in replay, 0x{e.Result:x} when recorded");
        }
    }

    /// <summary>
    /// After a syscall run again: the same result, then the memory the kernel filled that replay's
    /// run does not (pages of a private file mapping read again from the file, which replay maps
    /// as an anonymous copy).
    /// </summary>
    private void CheckResultAndWrites(SyscallEvent e)
    {
        CheckResult(e);
        WriteBack(e);
    }

    /// <summary>Writes the memory the recorded syscall wrote.</summary>
    private void WriteBack(SyscallEvent e)
    {
        foreach (var w in e.Writes)
        {
            _tracee.Write(w.Address, w.Data);
        }
    }

    private static bool IsError(long result) => result < 0 && result > -4096;


    private static string Join(ulong[] args) => string.Join(", ", args.Select(a => $"0x{a:x}"));
}
