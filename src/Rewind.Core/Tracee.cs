using System.Runtime.InteropServices;
using Rewind.Linux;

namespace Rewind;

/// <summary>How to resume a stopped tracee.</summary>
public enum Resume
{
    /// <summary>Run until a signal, a seccomp stop or an event.</summary>
    Continue = Interop.PTRACE_CONT,
    /// <summary>As Continue, and also stop at syscall entry and exit.</summary>
    Syscall = Interop.PTRACE_SYSCALL,
    /// <summary>Execute one instruction.</summary>
    Step = Interop.PTRACE_SINGLESTEP,
}

/// <summary>
/// One traced thread. Every call must come from the thread that attached it: ptrace belongs to
/// a thread, not a process (shared/DESIGN.md §8).
/// </summary>
public sealed partial class Tracee : IMemoryReader, IDisposable
{
    private int _memFd = -1;

    private Tracee(Tid tid, int tgid)
    {
        Tid = tid;
        Tgid = tgid;
    }

    public Tid Tid { get; }

    /// <summary>The thread's id, which ptrace and waitpid take.</summary>
    public int Pid => Tid.Value;

    /// <summary>The process (thread group) the thread belongs to.</summary>
    public int Tgid { get; }

    /// <summary>
    /// The thread's id as its own process knows it (gettid): <see cref="Pid"/>, or another where
    /// it runs in a pid namespace below ours.
    /// </summary>
    public int OwnTid => Checkpoints.ProcStatus.OwnId(Tgid, Pid);

    /// <summary>Whether this is the thread whose id is the process's (the thread group leader).</summary>
    public bool IsLeader => Pid == Tgid;

    /// <summary>False once the kernel reported the thread's death.</summary>
    public bool IsAlive { get; private set; } = true;

    public Registers GetRegisters()
    {
        Registers regs = default;
        unsafe
        {
            Interop.Check(Interop.ptrace(Interop.PTRACE_GETREGS, Pid, 0, (nint)(&regs)), "ptrace(GETREGS)");
        }
        return regs;
    }

    public void SetRegisters(in Registers regs)
    {
        unsafe
        {
            fixed (Registers* p = &regs)
            {
                Interop.Check(Interop.ptrace(Interop.PTRACE_SETREGS, Pid, 0, (nint)p), "ptrace(SETREGS)");
            }
        }
    }

    /// <summary>
    /// The FPU/SSE/AVX state in the XSAVE layout of this CPU (PTRACE_GETREGSET NT_X86_XSTATE), read
    /// into room on the stack: the recorder takes it at every blocking syscall, and a new 16 KiB
    /// array each time had the runtime touch fresh pages for most of them.
    /// </summary>
    public byte[] GetExtendedState()
    {
        Span<byte> buffer = stackalloc byte[16384];
        unsafe
        {
            fixed (byte* p = buffer)
            {
                var iov = new Interop.IoVec { iov_base = (nint)p, iov_len = buffer.Length };
                Interop.Check(Interop.ptrace(Interop.PTRACE_GETREGSET, Pid, Interop.NT_X86_XSTATE, (nint)(&iov)), "ptrace(GETREGSET)");
                return buffer[..(int)iov.iov_len].ToArray();
            }
        }
    }

    public void SetExtendedState(byte[] state)
    {
        unsafe
        {
            fixed (byte* p = state)
            {
                var iov = new Interop.IoVec { iov_base = (nint)p, iov_len = state.Length };
                Interop.Check(Interop.ptrace(Interop.PTRACE_SETREGSET, Pid, Interop.NT_X86_XSTATE, (nint)(&iov)), "ptrace(SETREGSET)");
            }
        }
    }

    /// <summary>The thread's blocked signals (PTRACE_GETSIGMASK).</summary>
    public unsafe ulong GetSignalMask()
    {
        ulong mask;
        Interop.Check(Interop.ptrace(Interop.PTRACE_GETSIGMASK, Pid, sizeof(ulong), (nint)(&mask)), "ptrace(GETSIGMASK)");
        return mask;
    }

    /// <summary>Sets the thread's blocked signals (PTRACE_SETSIGMASK); SIGKILL and SIGSTOP stay unblockable.</summary>
    public unsafe void SetSignalMask(ulong mask) =>
        Interop.Check(Interop.ptrace(Interop.PTRACE_SETSIGMASK, Pid, sizeof(ulong), (nint)(&mask)), "ptrace(SETSIGMASK)");

    /// <summary>The siginfo_t (128 bytes) of the signal this tracee is stopped for.</summary>
    public byte[] GetSignalInfo()
    {
        var info = new byte[128];
        unsafe
        {
            fixed (byte* p = info)
            {
                Interop.Check(Interop.ptrace(Interop.PTRACE_GETSIGINFO, Pid, 0, (nint)p), "ptrace(GETSIGINFO)");
            }
        }
        return info;
    }

    public void SetSignalInfo(byte[] info)
    {
        unsafe
        {
            fixed (byte* p = info)
            {
                Interop.Check(Interop.ptrace(Interop.PTRACE_SETSIGINFO, Pid, 0, (nint)p), "ptrace(SETSIGINFO)");
            }
        }
    }

    /// <summary>PTRACE_GETEVENTMSG: the new pid at a fork event, the exit status at an exit event.</summary>
    public ulong GetEventMessage()
    {
        ulong message = 0;
        unsafe
        {
            Interop.Check(Interop.ptrace(Interop.PTRACE_GETEVENTMSG, Pid, 0, (nint)(&message)), "ptrace(GETEVENTMSG)");
        }
        return message;
    }

    /// <summary>Whether a syscall-stop is at entry, exit or a seccomp stop (PTRACE_GET_SYSCALL_INFO).</summary>
    public SyscallStop GetSyscallStop()
    {
        Span<byte> info = stackalloc byte[88];
        unsafe
        {
            fixed (byte* p = info)
            {
                Interop.Check(Interop.ptrace(Interop.PTRACE_GET_SYSCALL_INFO, Pid, info.Length, (nint)p), "ptrace(GET_SYSCALL_INFO)");
            }
        }
        return (SyscallStop)info[0];
    }

    public void Resume(Resume how, int signal = 0) =>
        Interop.Check(Interop.ptrace((int)how, Pid, 0, signal), $"ptrace({how})");

    /// <summary>Keeps a tracee in group-stop while letting it report the next event (PTRACE_LISTEN).</summary>
    public void Listen() => Interop.Check(Interop.ptrace(Interop.PTRACE_LISTEN, Pid, 0, 0), "ptrace(LISTEN)");

    /// <summary>Waits for this tracee's next stop or its death.</summary>
    public WaitStatus Wait()
    {
        while (true)
        {
            int r = Interop.waitpid(Pid, out int status, Interop.__WALL);
            if (r == Pid)
            {
                var ws = new WaitStatus(status);
                if (ws.Exited || ws.Signaled)
                {
                    IsAlive = false;
                }
                return ws;
            }
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
            {
                throw Interop.Error("waitpid");
            }
        }
    }

    /// <summary>Marks the tracee dead when its death was reaped elsewhere (a wait for any tracee).</summary>
    internal void Reaped(WaitStatus status)
    {
        if (status.Exited || status.Signaled)
        {
            IsAlive = false;
        }
    }

    /// <summary>
    /// This thread exec'd while not its process's leader: it lives on under the leader's tid, and
    /// this one no longer exists (execve(2)); nothing is left to kill or reap, only to close.
    /// </summary>
    internal void TidTakenOver()
    {
        IsAlive = false;
        Dispose();
    }

    /// <summary>Sends a signal to this thread (tgkill), as a process of ours would.</summary>
    public void SendSignal(int signal) => Interop.Check(Interop.tgkill(Tgid, Pid, signal), "tgkill");

    /// <summary>
    /// The CPU time this thread has spent running its own code (user mode), from its stat's utime
    /// (proc(5): in USER_HZ ticks, 100 a second on x86-64); 0 once it is gone.
    /// </summary>
    public long UserNanos()
    {
        try
        {
            return long.Parse(Checkpoints.ProcStatus.StatFields(File.ReadAllText($"/proc/{Tgid}/task/{Pid}/stat"))[14 - 3], System.Globalization.CultureInfo.InvariantCulture) * 10_000_000;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Stops the running thread where it is (PTRACE_INTERRUPT): it reports a PTRACE_EVENT_STOP with SIGTRAP.</summary>
    public void Interrupt() => Interop.Check(Interop.ptrace(Interop.PTRACE_INTERRUPT, Pid, 0, 0), "ptrace(INTERRUPT)");

    /// <summary>
    /// Waits until this thread has finished exiting while other threads of its process go on: a
    /// thread group leader's death is reported only once the whole group is gone (wait(2)), but it
    /// is a zombie, its tid word cleared and its robust futexes released, as soon as its exit is done.
    /// </summary>
    public void WaitUntilZombie()
    {
        string stat = $"/proc/{Tgid}/task/{Pid}/stat";
        for (int i = 0; ; i++)
        {
            string? text = null;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (IOException)
            {
            }
            if (text == null || Checkpoints.ProcStatus.StatFields(text)[0] is "Z" or "X")
            {
                return;
            }
            Thread.Sleep(i < 100 ? 0 : 1);
        }
    }

    /// <summary>
    /// Kills a whole process of traced threads and reaps them all, the leader last: the kernel
    /// reports a leader's death only after every other thread of its group was reaped (wait(2)).
    /// </summary>
    public static void KillProcess(Tracee leader, IEnumerable<Tracee> threads)
    {
        if (leader.IsAlive)
        {
            Interop.kill(leader.Tgid, Signal.SIGKILL);
        }
        foreach (var t in threads.Where(t => !ReferenceEquals(t, leader)))
        {
            t.Dispose();
        }
        leader.Dispose();
    }

    /// <summary>Kills the tracee and reaps it, so no stopped process is left behind.</summary>
    public void Kill()
    {
        if (!IsAlive)
        {
            return;
        }
        // SIGKILL to any thread kills its whole process.
        Interop.tgkill(Tgid, Pid, Signal.SIGKILL);
        while (IsAlive)
        {
            int r = Interop.waitpid(Pid, out int status, Interop.__WALL);
            if (r != Pid)
            {
                break;
            }
            Reaped(new WaitStatus(status));
        }
        IsAlive = false;
    }

    public void Dispose()
    {
        Kill();
        if (_memFd >= 0)
        {
            Interop.close(_memFd);
            _memFd = -1;
        }
    }

    public override string ToString() => $"tracee {Pid}";
}

/// <summary>The kind of a syscall-stop, as PTRACE_GET_SYSCALL_INFO reports it.</summary>
public enum SyscallStop : byte
{
    None = 0,
    Entry = Interop.PTRACE_SYSCALL_INFO_ENTRY,
    Exit = Interop.PTRACE_SYSCALL_INFO_EXIT,
    Seccomp = Interop.PTRACE_SYSCALL_INFO_SECCOMP,
}
