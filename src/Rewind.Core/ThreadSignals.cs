using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind;

/// <summary>
/// A thread's own signal state where Rewind's traps touch it: its blocked signals, and its
/// process's actions for the signals of those traps (<see cref="TrapActions"/>). Each trap (rdtsc
/// or CPUID faulting, a single step, an int3, a debug register, a place probe's load) is a CPU
/// exception whose signal the kernel forces on the thread (force_sig_info_to_task in
/// kernel/signal.c): where the signal is blocked or ignored, it unblocks it and resets its
/// handler to SIG_DFL for good, since without a tracer the signal kills the process. The tracer
/// suppresses the signal and puts both back (<see cref="PutBack"/>), so the program, and its
/// checkpoints, keep its own state. The syscalls that set that state are no events; the seccomp
/// filter stops at those that set this part of it, to be followed here (<see cref="Follow"/>).
/// A handler's entry sets the mask too, read there (<see cref="EnteredHandler"/>).
/// </summary>
internal sealed class ThreadSignals(ulong blocked, TrapActions actions)
{
    private const int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    private const ulong SigsetSize = 8;
    private const ulong Unblockable = 1UL << (Signal.SIGKILL - 1) | 1UL << (Signal.SIGSTOP - 1);

    /// <summary>Its blocked signals, as the program last set them.</summary>
    public ulong Blocked { get; private set; } = blocked;

    /// <summary>Its process's actions for the signals of the traps.</summary>
    public TrapActions Actions { get; private set; } = actions;

    // The signals whose action a trap reset at a stop a signal was delivered from, to be set again at the next (PutBack).
    private ulong _owed;

    /// <summary>Whether the program blocks <paramref name="signal"/> in the thread.</summary>
    public bool Blocks(int signal) => (Blocked & 1UL << (signal - 1)) != 0;

    /// <summary>
    /// Whether forcing <paramref name="signal"/> on the thread resets an action of the program's,
    /// which only a syscall run in the thread sets again: it blocks the signal and has a handler
    /// for it, or ignores it.
    /// </summary>
    public bool ForcingResetsAction(int signal) =>
        Actions.Of(signal).Handler is var handler && (Blocks(signal) ? handler != SignalAction.Default : handler == SignalAction.Ignore);

    /// <summary>
    /// Whether a stop for <paramref name="signal"/> with <paramref name="siCode"/> is a signal the
    /// kernel forced: a SIGSEGV or SIGTRAP the CPU raised (si_code &gt; 0), not the SIGTRAP that
    /// stops a step into a handler (ptrace_notify, si_code SIGTRAP).
    /// </summary>
    public static bool IsForced(int signal, int siCode) =>
        siCode > 0 && (signal == Signal.SIGSEGV || signal == Signal.SIGTRAP && siCode != Signal.SIGTRAP);

    /// <summary>
    /// Whether the seccomp stop at <paramref name="entry"/> is one the filter makes for this state
    /// (<see cref="SeccompFilter"/>): rt_sigprocmask given a set, rt_sigreturn, rt_sigaction of a
    /// trap's signal. Its effect is taken now (the call runs as soon as the thread goes on, and
    /// fails only on arguments seen here); it is no event, and the thread just goes on.
    /// </summary>
    public bool Follow(Tracee t, in Registers entry)
    {
        int nr = entry.SyscallNumber;
        if (!(nr == Nr.rt_sigprocmask && entry.Arg(1) != 0 || nr == Nr.rt_sigreturn || nr == Nr.rt_sigaction && TrapActions.Signals.Contains((int)entry.Arg(0)))
            || t.GetEventMessage() != SeccompFilter.TraceData)
        {
            // Not ours: the program's own filter's stop (ProgramFilter.AnswerOwnTrace), or another call.
            return false;
        }
        Span<byte> read = stackalloc byte[SignalAction.Size];
        switch (nr)
        {
            case Nr.rt_sigprocmask when entry.Arg(3) == SigsetSize && t.Read(new RemotePtr(entry.Arg(1)), read[..8]) == 8:
                ulong set = BitConverter.ToUInt64(read), current = t.GetSignalMask();
                Blocked = (int)entry.Arg(0) switch
                {
                    SIG_BLOCK => current | set,
                    SIG_UNBLOCK => current & ~set,
                    SIG_SETMASK => set,
                    _ => current,
                } & ~Unblockable;
                break;
            case Nr.rt_sigreturn when SignalFrame.MaskRestoredAt(t, entry.Sp) is { } restored:
                Blocked = restored & ~Unblockable;
                break;
            case Nr.rt_sigaction when entry.Arg(1) != 0 && entry.Arg(3) == SigsetSize && t.Read(new RemotePtr(entry.Arg(1)), read) == read.Length:
                Actions.Set(SignalAction.Of((int)entry.Arg(0), read));
                break;
        }
        return true;
    }

    /// <summary>
    /// After a trap of Rewind's raised <paramref name="signal"/> in the thread, and the signal was
    /// not delivered: puts back what forcing it changed. Where the program blocked it, it is
    /// blocked again and its handler set again; where it ignored it, it is ignored again; where it
    /// did neither, the kernel changed nothing. Harmless where nothing was forced since. Where
    /// another signal is <paramref name="delivered"/> from this stop, by resuming from it with that
    /// signal, no syscall may run in the thread first (resuming from its exit only sends the
    /// signal): the action is set again at the next stop (<see cref="PutBackOwed"/>).
    /// </summary>
    public void PutBack(Tracee t, int signal, bool delivered = false)
    {
        ulong bit = 1UL << (signal - 1);
        if (Blocks(signal))
        {
            ulong mask = t.GetSignalMask();
            if ((mask & bit) != 0)
            {
                return;
            }
            // Only this signal's bit: the rest of the mask is the thread's, whatever it is now.
            t.SetSignalMask(mask | bit);
        }
        if (ForcingResetsAction(signal))
        {
            _owed |= bit;
        }
        if (!delivered)
        {
            PutBackOwed(t);
        }
    }

    /// <summary>Sets again the actions a trap reset where a signal was delivered next (<see cref="PutBack"/>).</summary>
    public void PutBackOwed(Tracee t)
    {
        foreach (int signal in TrapActions.Signals.Where(s => (_owed & 1UL << (s - 1)) != 0))
        {
            t.InjectSyscallWithBuffer($"rt_sigaction({Signal.Name(signal)})", Nr.rt_sigaction, Actions.Of(signal).ToKernel(), at => [(ulong)signal, at, 0, SigsetSize]);
        }
        _owed = 0;
    }

    /// <summary>
    /// <paramref name="signal"/> is being delivered: a handler set with SA_RESETHAND is reset.
    /// The mask the handler runs with is read at its entry (<see cref="EnteredHandler"/>).
    /// </summary>
    public void Delivering(int signal) => Actions.Delivering(signal);

    /// <summary>The thread stands at a handler's first instruction, with the mask the handler runs with (signal_delivered).</summary>
    public void EnteredHandler(Tracee t) => Blocked = t.GetSignalMask();

    /// <summary>After execve: the mask stays, the handlers are reset.</summary>
    public void Exec() => Actions = Actions.Flushed();

    /// <summary>A new thread's: its creator's mask (clone(2)), the same actions.</summary>
    public ThreadSignals ForThread() => new(Blocked, Actions);

    /// <summary>The first thread of a new process, created with clone flags <paramref name="flags"/>: the mask, and the actions shared, copied or reset.</summary>
    public ThreadSignals ForProcess(ulong flags) =>
        new(Blocked, (flags & CloneFlags.SigHand) != 0 ? Actions : (flags & CloneFlags.ClearSigHand) != 0 ? Actions.Flushed() : Actions.Copy());
}
