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
        if (!IsLogged(nr, regs) && ProgramFilter.AnswerOwnTrace(_tracee, regs))
        {
            return null;
        }
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
        if (_next?.Event is NewProcessEvent created)
        {
            CreateProcess(regs, created);
            return null;
        }
        var e = Expect<SyscallEvent>($"syscall {SyscallTable.Name(nr)}");
        if (e.Number != nr || !e.Args.AsSpan().SequenceEqual(args) || e.Pc.Value != regs.Rip)
        {
            throw Diverged($"expected {e.Name}({Join(e.Args)}) at {e.Pc}, got {SyscallTable.Name(nr)}({Join(args)}) at 0x{regs.Rip:x}");
        }
        if (nr is Nr.seccomp or Nr.prctl && ProgramFilter.Requested(_tracee, nr, args) is { } filter)
        {
            InstallFilter(ref regs, e, filter);
            return null;
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
            case ReplayKind.Mmap when !Errno.IsError(e.Result):
                Remap(ref regs, e);
                return null;
            case ReplayKind.Detach when !Errno.IsError(e.Result):
                Detach(ref regs, e);
                return null;
            case ReplayKind.Mremap when !Errno.IsError(e.Result):
                MoveMapping(ref regs, e);
                return null;
            case ReplayKind.Emulated when nr is Nr.execve or Nr.execveat && e.Result == 0:
                string program = ProgramThread.CommOf(ExecPath(nr, e.Args));
                Advance();
                Exec(program);
                return null;
            case ReplayKind.Brk:
                SetBreak(ref regs, e);
                return null;
            case ReplayKind.Clone when !Errno.IsError(e.Result) && (CloneFlagsOf(e) & CloneFlags.Thread) != 0:
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

    /// <summary>Whether the next event is this syscall, or its entry, or the process it creates (replay's other seccomp stops are none of its events).</summary>
    private bool IsLogged(int nr, in Registers regs) => _next?.Event switch
    {
        SyscallEvent e => e.Number == nr && e.Pc.Value == regs.Rip,
        SyscallEntryEvent e => e.Number == nr && e.Pc.Value == regs.Rip,
        NewProcessEvent => SyscallTable.CreatesTask(nr),
        _ => false,
    };

    /// <summary>The program installs a seccomp filter: it is installed again as when recorded (<see cref="ProgramFilter"/>), with the same answer.</summary>
    private void InstallFilter(ref Registers regs, SyscallEvent e, ProgramFilter filter)
    {
        long result = filter.Install(_tracee, _threads.Values.Where(t => t.Process == _thread.Process).Select(t => t.Tracee));
        if (result != e.Result)
        {
            throw Diverged($"installing the program's seccomp filter answered {result}, {e.Result} when recorded");
        }
        if (result == 0 && _timeReadsLogged)
        {
            TimeReadPage.Disable(_tracee);
        }
        Emulate(ref regs, e);
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
        var signals = _thread.Signals.ForThread();
        _onSyscallExit = () =>
        {
            long r = _tracee.GetRegisters().Result;
            if (Errno.IsError(r) || _cloned == null)
            {
                throw new DivergenceException(NextEvent - 1, $"creating thread {e.Result} again failed ({r})");
            }
            WriteBack(e);
            Restore(original, e.Result);
            // A new thread is named as the one that created it (clone(2) copies comm).
            var thread = new ReplayThread(new Tid((int)e.Result), _cloned, _thread.Name, _thread.Process, signals) { ClearChildTid = clearChildTid };
            _cloned = null;
            _threads[thread.Recorded] = thread;
            if (IsDebugged(thread))
            {
                DebugRegisters.Apply(thread.Tracee, _watchpoints, _hardware);
            }
        };
        Advance();
    }

    /// <summary>
    /// The thread in hand creates a process, as recorded: the fork, vfork, clone or clone3 runs
    /// again as a plain clone, with the tid words and TLS the program asked for but nothing shared
    /// (a vfork child's writes to its parent's stack come with the parent's result, as the
    /// recording logged them) and no exit signal, so the kernel never tells the parent of it: the
    /// program learns of its children only through its emulated syscalls. The new process is
    /// adopted under its recorded pid; the parent stays at the syscall's exit until its result
    /// event (<see cref="FinishCreation"/>), which comes after the child's events for a vfork.
    /// </summary>
    private void CreateProcess(Registers regs, NewProcessEvent e)
    {
        int nr = regs.SyscallNumber;
        if (!SyscallTable.CreatesTask(nr))
        {
            throw Diverged($"expected to create process {e.Pid}, got syscall {SyscallTable.Name(nr)}");
        }
        ulong flags = CloneFlags.Of(nr, regs.Arg(0), _tracee);
        var (stack, parentTid, childTid, tls) = nr switch
        {
            Nr.clone => (regs.Arg(1), regs.Arg(2), regs.Arg(3), regs.Arg(4)),
            // struct clone_args: flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls (linux/sched.h).
            Nr.clone3 => (StackTop(new RemotePtr(regs.Arg(0))), ReadField(regs.Arg(0), 3), ReadField(regs.Arg(0), 2), ReadField(regs.Arg(0), 7)),
            _ => (0UL, 0UL, 0UL, 0UL),
        };
        // A probe's jump and breakpoints are not to be copied into the child.
        DisarmProbe();
        var entry = regs;
        regs.OrigRax = Nr.clone;
        ulong replayed = flags & (CloneFlags.SetTls | CloneFlags.ParentSetTid | CloneFlags.ChildSetTid | CloneFlags.ChildClearTid);
        regs.SetArg(0, replayed);
        regs.SetArg(1, stack);
        regs.SetArg(2, parentTid);
        regs.SetArg(3, childTid);
        regs.SetArg(4, tls);
        _tracee.SetRegisters(regs);
        _creating = true;
        var parent = _thread;
        _onSyscallExit = () =>
        {
            _creating = false;
            long r = _tracee.GetRegisters().Result;
            if (Errno.IsError(r) || _cloned is not { } child)
            {
                throw new DivergenceException(NextEvent - 1, $"creating process {e.Pid} again failed ({r})");
            }
            _cloned = null;
            var childRegs = child.GetRegisters();
            for (int i = 0; i < 6; i++)
            {
                childRegs.SetArg(i, entry.Arg(i));
            }
            childRegs.OrigRax = entry.OrigRax;
            child.SetRegisters(childRegs);
            if ((flags & CloneFlags.ChildSetTid) != 0)
            {
                child.Write(new RemotePtr(childTid), BitConverter.GetBytes(e.Pid));
            }
            Breakpoints.RemoveAllFromMemory(child);
            var process = new ReplayProcess(e.Pid, child, parent.Process.ProgramBreak, new BreakpointTable { StandIns = _sharedFiles });
            // Its memory is its parent's: so is its code, patched where the parent's was.
            process.Breakpoints.PatchCpuid(child, parent.Process.Breakpoints.CpuidSites);
            var clearChildTid = (flags & CloneFlags.ChildClearTid) != 0 ? new RemotePtr(childTid) : RemotePtr.Null;
            var thread = new ReplayThread(new Tid(e.Pid), child, parent.Name, process, parent.Signals.ForProcess(replayed)) { ClearChildTid = clearChildTid };
            _threads[thread.Recorded] = thread;
            parent.CreatingEntry = entry;
            if (IsDebugged(thread))
            {
                // What a debugger asked for before the process existed.
                InsertWanted(thread);
                DebugRegisters.Apply(child, _watchpoints, _hardware);
            }
        };
        Advance();
    }

    private ulong ReadField(ulong cloneArgs, int index) => _tracee.ReadUInt64(new RemotePtr(cloneArgs + 8 * (ulong)index));

    /// <summary>The stack a clone3 gives its child, as clone takes it: its top (stack + stack_size), or 0 for the parent's.</summary>
    private ulong StackTop(RemotePtr cloneArgs)
    {
        ulong stack = ReadField(cloneArgs.Value, 5);
        return stack == 0 ? 0 : stack + ReadField(cloneArgs.Value, 6);
    }

    /// <summary>
    /// The result of the syscall that created a process, for the thread in hand, which has waited
    /// at its exit since (<see cref="CreateProcess"/>): the recorded pid, and what the kernel (and a
    /// vfork child) wrote into its memory.
    /// </summary>
    private void FinishCreation(SyscallEvent e, Registers entry)
    {
        if (e.Number != entry.SyscallNumber || !e.Args.AsSpan().SequenceEqual(entry.Args()))
        {
            throw Diverged($"expected {e.Name}({Join(e.Args)}), the result of the syscall that created a process, got {SyscallTable.Name(entry.SyscallNumber)}({Join(entry.Args())})");
        }
        WriteBack(e);
        Restore(entry, e.Result);
        Advance();
    }

    /// <summary>
    /// The bytes a write or send took from memory must be the recorded ones. Checked after the
    /// recorded memory is back (sendmmsg's byte counts are the kernel's), as the recorder hashed
    /// them at the call's exit.
    /// </summary>
    private void CheckSent(SyscallEvent e)
    {
        if (e.Sent is { } recorded && SentBytes.Digest(_tracee, e.Number, e.Args, e.Result) is { } replayed && replayed != recorded)
        {
            throw Diverged($"write to fd {(int)e.Args[0]} differs from the recording ({e.Name} returned {e.Result}; its bytes hash to 0x{replayed:x16} in replay, 0x{recorded:x16} when recorded)");
        }
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
    /// <summary>
    /// The file name the kernel names the new image by: execve's path; execveat's path, or with an
    /// empty one (fexecve, AT_EMPTY_PATH) "/dev/fd/N" (fs/exec.c, alloc_bprm), whose comm is N.
    /// </summary>
    private string ExecPath(int nr, IReadOnlyList<ulong> args)
    {
        string path = _tracee.ReadCString(new RemotePtr(args[nr == Nr.execve ? 0 : 1]));
        return nr == Nr.execveat && path.Length == 0 ? $"/dev/fd/{(int)args[0]}" : path;
    }

    private void Exec(string program)
    {
        var e = Expect<ExecEvent>("an exec");
        var image = _trace.CheckpointLayout(e.Checkpoint);
        var restored = CheckpointRestore.Restore(_trace, image, _sharedFiles);
        var old = _thread.Process;
        Kill(old);
        var process = new ReplayProcess(old.Recorded, restored, image.ProgramBreak, new BreakpointTable { StandIns = _sharedFiles });
        process.Breakpoints.PatchCpuid(restored, _cpuidPatch?.In(image) ?? []);
        _thread = new ReplayThread(e.Tid, restored, program, process, new ThreadSignals(image.BlockedSignals, TrapActions.From(image.SignalActions)));
        _threads[e.Tid] = _thread;
        _tracee = restored;
        CpuPinning.PinWith(restored);
        // Breakpoints and watchpoints name addresses of the old image: they go into the new one
        // where it has memory (with the bytes it has there), and wait for memory elsewhere.
        _wanted.UnionWith(old.Breakpoints.UserAddresses);
        _wanted.UnionWith(_hardware);
        _hardware.Clear();
        if (IsDebugged(_thread))
        {
            InsertWanted(_thread);
            DebugRegisters.Apply(_tracee, _watchpoints, _hardware);
        }
        Advance();
    }

    /// <summary>Skips the syscall: its result goes into rax and the memory it wrote is written back.</summary>
    private void Emulate(ref Registers regs, SyscallEvent e)
    {
        if (e.Output is { } output)
        {
            // Bytes copied from file to file (sendfile, splice, copy_file_range) were never in memory: they are only shown.
            var written = SentBytes.Bytes(_tracee, e.Number, e.Args, e.Result);
            if (written != null && !written.AsSpan().SequenceEqual(output.Data))
            {
                throw Diverged($"the program wrote different bytes to {(output.Fd == 1 ? "stdout" : "stderr")} than it did when recorded");
            }
            _output?.Invoke(output.Fd, output.Data);
        }
        WriteBack(e);
        CheckSent(e);
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
    /// policy. A file that changes while mapped is mapped from its stand-in over that reservation,
    /// and so is a System V segment's, a shmat becoming such an mmap; so are the pages of a copy
    /// past its file's last page, which raise SIGBUS until the file grows.
    /// </summary>
    private void Remap(ref Registers regs, SyscallEvent e)
    {
        var original = regs;
        var (length, protection, flags, offset) = e.Number == Nr.shmat ? Attachment(e) : (e.Args[1], e.Args[2], e.Args[3] & ~(ulong)Interop.MAP_FIXED_NOREPLACE, e.Args[5]);
        if (e.Mapping != null || e.Shared != null)
        {
            flags = (flags & ~(ulong)Interop.MAP_SHARED) | Interop.MAP_PRIVATE;
        }
        regs.OrigRax = Nr.mmap;
        regs.SetArg(0, (ulong)e.Result);
        regs.SetArg(1, length);
        regs.SetArg(2, protection);
        regs.SetArg(3, flags | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED);
        regs.SetArg(4, ulong.MaxValue);
        regs.SetArg(5, 0);
        _tracee.SetRegisters(regs);
        _onSyscallExit = () =>
        {
            CheckResult(e);
            Restore(original, e.Result);
            if (e.Mapping is { } m)
            {
                CheckpointRestore.WriteFileBytes(_tracee, new RemotePtr((ulong)e.Result), length, m, _trace, _trace.Blob);
            }
            if (e.Shared is { } shared)
            {
                _sharedFiles.Map(_tracee, ((ulong)e.Result, length, protection, offset), shared, _trace, segment: e.Number == Nr.shmat);
            }
            if (e is { Mapping: { } copy, PastEnd: { } file })
            {
                // From the page after the file's last one.
                ulong end = copy.FileSize > offset ? AddressSpace.PageUp(copy.FileSize - offset) : 0;
                _sharedFiles.MapPastEnd(_tracee, ((ulong)e.Result + end, length - end, protection, offset + end), file, copy.FileSize);
            }
            Breakpoints.Mapped(_tracee, new RemotePtr((ulong)e.Result), new RemotePtr((ulong)e.Result + length),
                _cpuidPatch?.In(new RemotePtr((ulong)e.Result), length, (Protection)protection, e.Mapping) ?? []);
            if (_wanted.Count > 0 && IsDebugged(_thread))
            {
                InsertWanted(_thread);
            }
        };
        Advance();
    }

    /// <summary>
    /// What shmat(shmid, shmaddr, shmflg) mapped, as an mmap's length, protection, flags and offset:
    /// the whole segment, shared, read-only with SHM_RDONLY and executable with SHM_EXEC (shmat(2)).
    /// </summary>
    private static (ulong Length, ulong Protection, ulong Flags, ulong Offset) Attachment(SyscallEvent e)
    {
        const ulong ShmRdonly = 0x1000, ShmExec = 0x8000;
        var segment = e.Shared ?? throw new TraceFormatException($"event {e.Name} at {e.Pc} attached a System V segment but names none");
        ulong protection = Interop.PROT_READ | ((e.Args[2] & ShmRdonly) != 0 ? 0UL : Interop.PROT_WRITE) | ((e.Args[2] & ShmExec) != 0 ? Interop.PROT_EXEC : 0UL);
        return (AddressSpace.PageUp(segment.FileSize), protection, Interop.MAP_SHARED, 0);
    }

    /// <summary>
    /// shmdt: replay holds a segment as mappings of its stand-in, not as an attach the kernel would
    /// detach, so the mappings the kernel detached are found again in replay's own map and the
    /// call becomes a munmap of each (the first in its place, the others injected at its exit).
    /// </summary>
    private void Detach(ref Registers regs, SyscallEvent e)
    {
        var detached = _sharedFiles.Detached(AddressSpace.Read(_tracee.Tgid).Regions, e.Args[0]);
        if (detached.Count == 0)
        {
            throw Diverged($"shmdt(0x{e.Args[0]:x}) detached a System V segment when recorded; replay has none attached there");
        }
        var original = regs;
        regs.OrigRax = Nr.munmap;
        regs.SetArg(0, detached[0].Start.Value);
        regs.SetArg(1, detached[0].Length);
        _tracee.SetRegisters(regs);
        _onSyscallExit = () =>
        {
            CheckResult(e);
            foreach (var region in detached.Skip(1))
            {
                _tracee.InjectSyscallChecked("munmap", Nr.munmap, region.Start.Value, region.Length);
            }
            Restore(original, e.Result);
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
        ulong oldEnd = AddressSpace.PageUp(_thread.Process.ProgramBreak), newEnd = AddressSpace.PageUp((ulong)e.Result);
        _thread.Process.ProgramBreak = (ulong)e.Result;
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
            if (Errno.IsError(r) || newEnd > oldEnd && (ulong)r != start)
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

    /// <summary>Writes the memory the recorded syscall wrote, and makes the change it made to a file mapped from a stand-in.</summary>
    private void WriteBack(SyscallEvent e)
    {
        foreach (var w in e.Writes)
        {
            _tracee.Write(w.Address, w.Data);
        }
        if (e.Change is { } change)
        {
            _sharedFiles.Apply(change);
            foreach (var copies in change.Copies.GroupBy(c => c.Pid))
            {
                var process = Processes.FirstOrDefault(p => p.Recorded == copies.Key) ?? throw Diverged($"process {copies.Key} maps a file that changed, but it does not exist in replay");
                _sharedFiles.WriteCopies(_threads.Values.First(t => t.Process == process).Tracee, copies.Select(c => c.Write));
            }
        }
    }



    private static string Join(ulong[] args) => string.Join(", ", args.Select(a => $"0x{a:x}"));
}
