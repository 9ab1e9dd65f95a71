using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const long ENOSYS = 38;

    /// <summary>The seccomp stop before a syscall runs: refuse what cannot be replayed, then run it to its exit.</summary>
    private void OnSyscallEntry()
    {
        var regs = _tracee.GetRegisters();
        int nr = regs.SyscallNumber;
        var spec = SyscallTable.Find(nr);
        if (spec == null || spec.Replay == ReplayKind.Unsupported)
        {
            throw new UnsupportedException($"the program called {SyscallTable.Name(nr)} (syscall {nr}), which Rewind cannot record yet");
        }
        CheckClone(regs);
        switch (nr)
        {
            case Nr.rseq:
                // Restartable sequences let the kernel rewrite memory on preemption; glibc works without them.
                Emulate(regs, -ENOSYS);
                return;
            case Nr.exit or Nr.exit_group:
                // These never return: log them now; the process's end comes as its exit status.
                Log(regs, regs.Result, []);
                _tracee.Resume(Resume.Continue);
                return;
        }
        _syscallEntry = regs;
        _tracee.Resume(Resume.Syscall);
    }

    /// <summary>The syscall-exit stop: log the result and every byte the kernel wrote.</summary>
    private void OnSyscallExit()
    {
        if (_syscallEntry is not { } entry)
        {
            // The exit of a syscall we did not enter (the launcher's execve): nothing to log.
            _tracee.Resume(Resume.Continue);
            return;
        }
        _syscallEntry = null;
        var exit = _tracee.GetRegisters();
        long result = exit.Result;
        var spec = SyscallTable.Find(entry.SyscallNumber)!;
        var capture = new OutputCapture(_tracee, entry.Args(), result);
        spec.Outputs?.Invoke(capture);
        if (SharedStackChild(entry))
        {
            CaptureStackOfVfork(capture, entry.Sp);
        }
        if (spec.Replay == ReplayKind.Brk)
        {
            _programBreak = (ulong)result;
        }
        Log(entry, result, capture.Writes, MappedFile(entry, result), StandardStreams.Written(_tracee, entry.SyscallNumber, entry.Args(), result));
        if (CheckpointDue(result))
        {
            TakeCheckpoint();
            return;
        }
        _tracee.Resume(Resume.Continue);
    }

    private void Emulate(Registers regs, long result)
    {
        Log(regs, result, []);
        regs.OrigRax = ulong.MaxValue;
        regs.Rax = (ulong)result;
        _tracee.SetRegisters(regs);
        _tracee.Resume(Resume.Continue);
    }

    private void Log(in Registers entry, long result, IReadOnlyList<MemoryWrite> writes, FileMapping? mapping = null, StandardStream? output = null) =>
        _log.Append(new SyscallEvent(_tracee.Tid, Now, entry.SyscallNumber, entry.Args(), result, new RemotePtr(entry.Rip), writes, mapping, output));

    /// <summary>A second thread, or a child sharing our memory, would run unrecorded: refuse it.</summary>
    private void CheckClone(in Registers regs)
    {
        ulong flags = regs.SyscallNumber switch
        {
            Nr.clone => regs.Arg(0),
            Nr.clone3 => _tracee.ReadUInt64(new RemotePtr(regs.Arg(0))),
            _ => 0,
        };
        if ((flags & CloneFlags.Thread) != 0)
        {
            throw new UnsupportedException("the program started a second thread (clone with CLONE_THREAD); multi-threaded programs are not supported yet");
        }
        if ((flags & CloneFlags.Vm) != 0 && (flags & CloneFlags.Vfork) == 0)
        {
            throw new UnsupportedException("the program created a process sharing its memory (clone with CLONE_VM); this is not supported yet");
        }
    }

    /// <summary>A vfork (or clone with CLONE_VM|CLONE_VFORK): the child ran on our memory until it exec'd or exited.</summary>
    private bool SharedStackChild(in Registers entry)
    {
        ulong flags = entry.SyscallNumber switch
        {
            Nr.vfork => CloneFlags.Vm | CloneFlags.Vfork,
            Nr.clone => entry.Arg(0),
            Nr.clone3 => _tracee.ReadUInt64(new RemotePtr(entry.Arg(0))),
            _ => 0,
        };
        return (flags & (CloneFlags.Vm | CloneFlags.Vfork)) == (CloneFlags.Vm | CloneFlags.Vfork);
    }

    /// <summary>
    /// A vfork child runs on the parent's stack (vfork(2)) and leaves its writes there; replay has
    /// no child, so what it may have written is logged as the syscall's output: the stack from
    /// 64 KiB below the stack pointer to a page above it.
    /// </summary>
    private void CaptureStackOfVfork(OutputCapture capture, RemotePtr sp)
    {
        if (AddressSpace.Read(_tracee.Pid).Regions.FirstOrDefault(r => r.Contains(sp)) is { } stack)
        {
            ulong from = Math.Max(stack.Start.Value, sp.Value - (64 << 10));
            ulong to = Math.Min(stack.End.Value, sp.Value + AddressSpace.PageSize);
            capture.At(from, (long)(to - from));
        }
    }

    /// <summary>For an mmap of a file, stores the file and says which bytes the mapping holds.</summary>
    private FileMapping? MappedFile(in Registers entry, long result)
    {
        const ulong MapAnonymous = 0x20;
        if (entry.SyscallNumber != Nr.mmap || result < 0 && result > -4096 || (entry.Arg(3) & MapAnonymous) != 0)
        {
            return null;
        }
        int fd = (int)entry.Arg(4);
        string open = $"/proc/{_tracee.Pid}/fd/{fd}";
        string name = new FileInfo(open).LinkTarget ?? open;
        var (id, size) = _blobs.Add(open, name);
        return new FileMapping(name, id, entry.Arg(5), (ulong)size);
    }
}
