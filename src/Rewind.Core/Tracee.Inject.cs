using Rewind.Linux;

namespace Rewind;

public sealed partial class Tracee
{
    private RemotePtr _syscallGadget;
    private readonly List<byte[]> _deferredSignals = [];
    // The task the last injected fork or clone created, by its pid in our namespace (its event's message); 0 before one.
    private int _injectedChild;

    /// <summary>
    /// Signals that arrived while a syscall was injected (a child's SIGCHLD during a checkpoint's
    /// fork): held back then, with their siginfo, for the caller to deliver when the tracee runs on.
    /// </summary>
    public IReadOnlyList<byte[]> DeferredSignals => _deferredSignals;

    /// <summary>The <see cref="DeferredSignals"/>, taken by a caller that delivers them.</summary>
    public IReadOnlyList<byte[]> TakeDeferredSignals()
    {
        var taken = _deferredSignals.ToList();
        _deferredSignals.Clear();
        return taken;
    }

    /// <summary>
    /// Runs one syscall inside the tracee and returns its raw result (a negative errno on failure).
    /// The tracee must be in a ptrace-stop that is not a syscall entry whose call is still to run
    /// (a signal, event, group or syscall-exit stop, or a seccomp stop whose call was skipped:
    /// orig_rax -1, its result in rax); its registers are restored afterwards. The syscall instruction used is any
    /// <c>0f 05</c> in executable memory: only those two bytes run, and we stop at the syscall's exit.
    /// </summary>
    public long InjectSyscall(int number, params ReadOnlySpan<ulong> args)
    {
        Registers saved = GetRegisters();
        try
        {
            return InjectSyscallKeepingRegisters(saved, number, args);
        }
        finally
        {
            SetRegisters(saved);
        }
    }

    private long InjectSyscallKeepingRegisters(Registers saved, int number, ReadOnlySpan<ulong> args)
    {
        Registers regs = saved;
        regs.Rip = SyscallGadget().Value;
        regs.Rax = (ulong)number;
        // No syscall is in progress as far as signal restart logic is concerned.
        regs.OrigRax = ulong.MaxValue;
        for (int i = 0; i < 6; i++)
        {
            regs.SetArg(i, i < args.Length ? args[i] : 0);
        }
        SetRegisters(regs);
        ulong exitPc = regs.Rip + 2;
        while (true)
        {
            Resume(Rewind.Resume.Syscall);
            WaitStatus status = Wait();
            if (!status.Stopped)
            {
                throw new RewindException($"the tracee died during an injected syscall {number} ({status})");
            }
            if (status.IsSyscallStop && GetSyscallStop() == SyscallStop.Exit && GetRegisters().Rip == exitPc)
            {
                long result = GetRegisters().Result;
                if (!Errno.IsRestart(result))
                {
                    return result;
                }
                // A signal came (a fork refuses to go on with one pending): the kernel would run
                // the syscall again after it, and so do we, the signal held back below.
                SetRegisters(regs);
                continue;
            }
            if (status.IsEvent(WaitStatus.EventFork) || status.IsEvent(WaitStatus.EventVfork) || status.IsEvent(WaitStatus.EventClone))
            {
                _injectedChild = (int)GetEventMessage();
            }
            else if (status.PtraceEvent == 0 && !status.IsSyscallStop && _deferredSignals.Count < 64)
            {
                _deferredSignals.Add(GetSignalInfo());
            }
            // Syscall entry, seccomp stop, the clone's event, or the exit stop of the syscall the tracee was in: go on.
        }
    }

    /// <summary>
    /// Runs this thread, stopped on a <c>syscall</c> instruction, into that syscall's seccomp stop.
    /// Signals that come first are held back (<see cref="DeferredSignals"/>), for the caller to send
    /// again once the thread waits in the call: they then interrupt it there, as they would have.
    /// </summary>
    public void EnterSyscall()
    {
        ulong entryPc = GetRegisters().Rip + 2;
        while (true)
        {
            Resume(Rewind.Resume.Continue);
            WaitStatus status = Wait();
            if (!status.Stopped)
            {
                throw new RewindException($"the tracee died entering a syscall again ({status})");
            }
            if (status.IsEvent(WaitStatus.EventSeccomp))
            {
                ulong pc = GetRegisters().Rip;
                if (pc != entryPc)
                {
                    throw new RewindException($"{this} entered a syscall at 0x{pc - 2:x}, not the one at 0x{entryPc - 2:x}");
                }
                return;
            }
            if (status.PtraceEvent == 0 && !status.IsSyscallStop && _deferredSignals.Count < 64)
            {
                _deferredSignals.Add(GetSignalInfo());
            }
        }
    }

    /// <summary>
    /// At PTRACE_EVENT_EXEC the execve is still in progress: its return value is stored into rax
    /// after the event, which would overwrite an injected syscall number. Run it to its exit stop.
    /// </summary>
    public void FinishExec()
    {
        AddressSpaceReplaced();
        Resume(Rewind.Resume.Syscall);
        var status = Wait();
        if (!status.IsSyscallStop || GetSyscallStop() != SyscallStop.Exit)
        {
            throw new RewindException($"the program did not finish its exec as expected ({status})");
        }
    }

    /// <summary>The thread's restartable-sequence registration (PTRACE_GET_RSEQ_CONFIGURATION, Linux 5.13): area 0 when it has none.</summary>
    public (ulong Area, uint Length, uint Signature) RseqConfiguration()
    {
        Span<byte> config = stackalloc byte[24];
        unsafe
        {
            fixed (byte* p = config)
            {
                Interop.Check(Interop.ptrace(Interop.PTRACE_GET_RSEQ_CONFIGURATION, Pid, config.Length, (nint)p), "ptrace(GET_RSEQ_CONFIGURATION)");
            }
        }
        return (BitConverter.ToUInt64(config), BitConverter.ToUInt32(config[8..]), BitConverter.ToUInt32(config[12..]));
    }

    /// <summary>Unregisters the thread's restartable-sequence area, if any.</summary>
    public void UnregisterRseq()
    {
        var (area, length, signature) = RseqConfiguration();
        if (area != 0)
        {
            const int RSEQ_FLAG_UNREGISTER = 1;
            InjectSyscallChecked("rseq(unregister)", Syscalls.Nr.rseq, area, length, RSEQ_FLAG_UNREGISTER, signature);
        }
    }

    /// <summary>Injects a syscall and throws on a negative result.</summary>
    public long InjectSyscallChecked(string name, int number, params ReadOnlySpan<ulong> args)
    {
        long r = InjectSyscall(number, args);
        return Errno.IsError(r) ? throw new ErrnoException($"{name} in tracee {Pid}", (int)-r) : r;
    }

    /// <summary>
    /// Injects a clone with <paramref name="args"/> and returns the new process's or thread's pid as
    /// we see it: the message of the PTRACE_EVENT_FORK or _CLONE stop it makes (every tracee is
    /// traced with those events). The clone's result is the pid in the tracee's own pid namespace,
    /// another number in one it made (unshare(2), CLONE_NEWPID).
    /// </summary>
    private int InjectClone(string name, params ReadOnlySpan<ulong> args)
    {
        _injectedChild = 0;
        InjectSyscallChecked(name, Syscalls.Nr.clone, args);
        return _injectedChild != 0 ? _injectedChild : throw new RewindException($"{name} in tracee {Pid} made no fork or clone event");
    }

    /// <summary>
    /// Runs a syscall that takes a buffer: <paramref name="buffer"/> is lent a place below the
    /// thread's stack, whose address <paramref name="args"/> gets (and may write into the buffer,
    /// which is copied there after), and is returned as the syscall left it (its answer, for one
    /// that writes there) with the syscall's result; the place is put back as it was afterwards.
    /// </summary>
    public (long Result, byte[] Buffer) InjectSyscallWithBuffer(string name, int number, byte[] buffer, Func<ulong, ulong[]> args)
    {
        var scratch = ScratchBelowStack(GetRegisters());
        byte[] saved = ReadBytes(scratch, buffer.Length);
        try
        {
            ulong[] values = args(scratch.Value);
            Write(scratch, buffer);
            long result = InjectSyscallChecked(name, number, values);
            return (result, ReadBytes(scratch, buffer.Length));
        }
        finally
        {
            Write(scratch, saved);
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> in the tracee and returns the descriptor; the string is lent a
    /// place at <paramref name="scratch"/>, or below the thread's stack.
    /// </summary>
    public int InjectOpen(string path, int flags, RemotePtr? scratch = null)
    {
        byte[] name = [.. System.Text.Encoding.UTF8.GetBytes(path), 0];
        var at = scratch ?? ScratchBelowStack(GetRegisters());
        byte[] saved = ReadBytes(at, name.Length);
        Write(at, name);
        try
        {
            return (int)InjectSyscallChecked($"open({path})", Syscalls.Nr.open, at.Value, (ulong)flags);
        }
        finally
        {
            Write(at, saved);
        }
    }

    /// <summary>Scratch memory for injected syscalls' structs: below the red zone of the thread's stack, where the ABI lets anything be written.</summary>
    private static RemotePtr ScratchBelowStack(in Registers regs) => new((regs.Rsp - 128 - 256) & ~15UL);

    /// <summary>Uses this address for injected syscalls: it must hold <c>0f 05</c>.</summary>
    internal void UseSyscallGadget(RemotePtr address) => _syscallGadget = address;

    private RemotePtr SyscallGadget()
    {
        if (_syscallGadget.IsNull)
        {
            // The program's own seccomp filters let syscalls from the page through, and only those.
            _syscallGadget = SyscallPage.IsIn(this) ? SyscallPage.Address : AddressSpace.Read(Pid).FindSyscallInstruction(this)
                ?? throw new RewindException($"no syscall instruction in the executable memory of {this}");
        }
        return _syscallGadget;
    }
}
