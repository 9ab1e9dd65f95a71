namespace Rewind.Linux;

/// <summary>
/// The frame the kernel builds on the stack for a signal's handler (x86-64 rt_sigframe): the
/// handler starts with the stack pointer at it. Its sigcontext holds, besides the registers, CPU
/// state of the thread rather than of the program: the last CPU exception (error code, trap
/// number, faulting address) and, in the saved flags, the resume flag (RF), which the CPU sets
/// when it restarts an instruction after a fault (a page fault, our rdtsc trap). For a fault that
/// raised the signal they describe it; for any other signal they are whatever the thread last
/// went through, which a recording and its replay do not share.
/// </summary>
public static class SignalFrame
{
    /// <summary>
    /// Offsets from the frame's start: pretcode (8 bytes), then ucontext's uc_flags, uc_link and
    /// uc_stack (ss_sp at 24, ss_flags, ss_size at 40), then its sigcontext (256 bytes from 48),
    /// whose rsp is the 16th of 17 registers and eflags follows them; then cs/gs/fs/ss, err,
    /// trapno, oldmask (the blocked signals, kept), cr2, fpstate (the address of the FPU/vector
    /// state) and reserved words; then uc_sigmask, and the siginfo (128 bytes) after the ucontext.
    /// </summary>
    internal const int AltStackAt = 24, AltStackSizeAt = 40, InterruptedSpAt = 168, EflagsAt = 184, StateAddressAt = 232, MaskAt = 304, InfoAt = 312, InfoEnd = 440;

    /// <summary>From eflags on: the words <see cref="ClearCpuState"/> reads and writes.</summary>
    private const int FlagsAt = 0, ErrAt = 16, TrapNoAt = 24, Cr2At = 40, Length = 48;

    /// <summary>EFLAGS.RF, bit 16.</summary>
    private const ulong ResumeFlag = 1UL << 16;

    /// <summary>
    /// Whether a handler's frame for <paramref name="signal"/> describes the CPU exception that
    /// raised it: a fault, not a message, nor a seccomp filter's trap (a syscall is no exception).
    /// </summary>
    public static bool DescribesItsFault(int signal, int siCode) =>
        Signal.IsSynchronousFault(signal, siCode) && !(signal == Signal.SIGSYS && siCode == Signal.SysSeccomp);

    /// <summary>
    /// Clears the CPU's own state from the frame at <paramref name="sp"/>, a handler's first
    /// instruction: the last exception's words as the kernel has them for a thread that never
    /// trapped, and the resume flag. In record and replay alike, so the frame's bytes are the same
    /// in both where the stack digest of a later place covers them (shared/DESIGN.md §4;
    /// docs/decisions.md, "Signal frames").
    /// </summary>
    public static void ClearCpuState(Tracee tracee, RemotePtr sp)
    {
        Span<byte> words = stackalloc byte[Length];
        if (tracee.Read(sp + EflagsAt, words) < Length)
        {
            return;
        }
        BitConverter.TryWriteBytes(words[FlagsAt..], BitConverter.ToUInt64(words[FlagsAt..]) & ~ResumeFlag);
        words.Slice(ErrAt, 8).Clear();
        words.Slice(TrapNoAt, 8).Clear();
        words.Slice(Cr2At, 8).Clear();
        tracee.Write(sp + EflagsAt, words);
    }

    /// <summary>
    /// The blocked signals rt_sigreturn, entered with stack pointer <paramref name="sp"/>, sets
    /// from the frame (the mask the handler interrupted, unless it changed it there); null where
    /// the frame cannot be read, which the kernel answers with a SIGSEGV.
    /// </summary>
    public static ulong? MaskRestoredAt(Tracee tracee, RemotePtr sp)
    {
        Span<byte> mask = stackalloc byte[8];
        // The handler's return popped pretcode: the frame starts 8 bytes below.
        return tracee.Read(sp - 8 + MaskAt, mask) == 8 ? BitConverter.ToUInt64(mask) : null;
    }
}
