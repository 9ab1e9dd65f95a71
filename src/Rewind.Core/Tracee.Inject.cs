using System.Runtime.InteropServices;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind;

public sealed partial class Tracee
{
    private RemotePtr _syscallGadget;
    private readonly List<byte[]> _deferredSignals = [];

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
        _created = 0;
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
            if (status.PtraceEvent is WaitStatus.EventFork or WaitStatus.EventVfork or WaitStatus.EventClone)
            {
                _created = (int)GetEventMessage();
            }
            else if (status.PtraceEvent == 0 && !status.IsSyscallStop && _deferredSignals.Count < 64)
            {
                _deferredSignals.Add(GetSignalInfo());
            }
            // Syscall entry, seccomp stop, or the exit stop of the syscall the tracee was in: go on.
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

    /// <summary>
    /// Maps <paramref name="name"/> at <paramref name="at"/> in the stopped tracee: <paramref name="code"/>
    /// on its first <paramref name="codeSize"/> bytes, read and execute, then <paramref name="dataSize"/>
    /// bytes of zeros, read and write (one of Rewind's pages in the program).
    /// </summary>
    public void MapCode(string name, RemotePtr at, byte[] code, ulong codeSize, ulong dataSize)
    {
        long mapped = InjectSyscall(Nr.mmap, at.Value, codeSize + dataSize, Interop.PROT_READ | Interop.PROT_WRITE,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED_NOREPLACE, ulong.MaxValue, 0);
        if (mapped < 0)
        {
            throw new RewindException($"cannot map {name} at {at} in process {Pid}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)-mapped)}");
        }
        Write(at, code);
        InjectSyscallChecked("mprotect", Nr.mprotect, at.Value, codeSize, Interop.PROT_READ | Interop.PROT_EXEC);
    }

    /// <summary>Injects a syscall and throws on a negative result.</summary>
    public long InjectSyscallChecked(string name, int number, params ReadOnlySpan<ulong> args)
    {
        long r = InjectSyscall(number, args);
        return Errno.IsError(r) ? throw new ErrnoException($"{name} in tracee {Pid}", (int)-r) : r;
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

    /// <summary>
    /// Gives the tracee's process a descriptor on the open file description of <paramref name="ours"/>
    /// and returns its number (close-on-exec): sent over a socket pair made in the process
    /// (SCM_RIGHTS, unix(7)), whose one end we take a copy of. Opening /proc/OURPID/fd/N instead
    /// needs ptrace access to rewind, which a process in a user namespace below ours lacks (ptrace(2),
    /// "Ptrace access mode checking"). The kernel writes the message it receives into the tracee's
    /// memory: at <paramref name="scratch"/>, writable, where given, else below the thread's stack.
    /// </summary>
    public int InjectDescriptor(SafeHandle ours, RemotePtr? scratch = null)
    {
        // int sv[2]; at 16 a struct msghdr naming the struct iovec at 72, for the byte at 88, and
        // the struct cmsghdr at 96, where the descriptor comes (CMSG_SPACE(sizeof(int)) is 24).
        const int Pair = 0, Header = 16, Vector = 72, Data = 88, Control = 96, Length = 120;
        var at = scratch ?? ScratchBelowStack(GetRegisters());
        byte[] saved = ReadBytes(at, Length);
        var message = new byte[Length];
        int sender = -1, receiver = -1;
        try
        {
            InjectSyscallChecked("socketpair", Syscalls.Nr.socketpair, Interop.AF_UNIX, (ulong)SocketType.Datagram | Interop.SOCK_CLOEXEC, 0, (at + Pair).Value);
            var ends = ReadBytes(at + Pair, 8);
            (sender, receiver) = (BitConverter.ToInt32(ends), BitConverter.ToInt32(ends, 4));
            using (var pidfd = PidFd.Open(Tgid))
            using (var end = pidfd.Copy(sender))
            {
                Interop.SendDescriptor(end, ours);
            }
            BitConverter.TryWriteBytes(message.AsSpan(Header + 16), (at + Vector).Value);
            BitConverter.TryWriteBytes(message.AsSpan(Header + 24), 1UL);
            BitConverter.TryWriteBytes(message.AsSpan(Header + 32), (at + Control).Value);
            BitConverter.TryWriteBytes(message.AsSpan(Header + 40), (ulong)(Length - Control));
            BitConverter.TryWriteBytes(message.AsSpan(Vector), (at + Data).Value);
            BitConverter.TryWriteBytes(message.AsSpan(Vector + 8), 1UL);
            Write(at, message);
            InjectSyscallChecked("recvmsg(SCM_RIGHTS)", Syscalls.Nr.recvmsg, (ulong)receiver, (at + Header).Value, Interop.MSG_CMSG_CLOEXEC);
            return BitConverter.ToInt32(ReadBytes(at + Control + 16, 4));
        }
        finally
        {
            foreach (int end in new[] { sender, receiver }.Where(fd => fd >= 0))
            {
                InjectSyscall(Syscalls.Nr.close, (ulong)end);
            }
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
