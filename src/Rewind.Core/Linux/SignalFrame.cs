namespace Rewind.Linux;

/// <summary>
/// The frame the kernel builds on the stack for a signal's handler (x86-64 rt_sigframe): the
/// handler starts with the stack pointer at it. Its sigcontext holds, besides the registers, the
/// thread's last CPU exception (error code, trap number, faulting address): for a fault that
/// raised the signal they describe the fault, for any other signal they are whatever the thread
/// last trapped on (a page fault, our rdtsc trap), which a recording and its replay do not share.
/// </summary>
public static class SignalFrame
{
    /// <summary>
    /// Offsets from the frame's start: pretcode (8 bytes), then ucontext's uc_flags, uc_link and
    /// uc_stack (40), then sigcontext, where err, trapno and cr2 follow 19 registers and cs/gs/fs/ss.
    /// </summary>
    private const ulong Err = 200;

    /// <summary>err, trapno, oldmask (the blocked signals, kept) and cr2.</summary>
    private const int TrapWords = 32;

    /// <summary>
    /// Whether a handler's frame for <paramref name="signal"/> describes the CPU exception that
    /// raised it: a fault, not a message, nor a seccomp filter's trap (a syscall is no exception).
    /// </summary>
    public static bool DescribesItsFault(int signal, int siCode) =>
        Signal.IsSynchronousFault(signal, siCode) && !(signal == Signal.SIGSYS && siCode == Signal.SysSeccomp);

    /// <summary>
    /// Clears the last-exception words of the frame at <paramref name="sp"/>, a handler's first
    /// instruction, as the kernel has them for a thread that never trapped: in record and replay
    /// alike, so the frame's bytes are the same in both, where the stack digest of a later place
    /// covers them (shared/DESIGN.md §4; docs/decisions.md, "Signal frames").
    /// </summary>
    public static void ClearLastException(Tracee tracee, RemotePtr sp)
    {
        Span<byte> words = stackalloc byte[TrapWords];
        if (tracee.Read(sp + Err, words) < TrapWords)
        {
            return;
        }
        words[..16].Clear();
        words[24..].Clear();
        tracee.Write(sp + Err, words);
    }
}
