using System.Buffers.Binary;
using Rewind.Syscalls;

namespace Rewind.Linux;

/// <summary>
/// A seccomp filter the program installs for itself (seccomp(2) SECCOMP_SET_MODE_FILTER or
/// prctl(PR_SET_SECCOMP)), as Rewind installs it in its place, in record and replay alike: the
/// program's BPF behind a guard that lets through the syscalls Rewind injects from
/// <see cref="SyscallPage"/>. The kernel runs every filter of a thread and takes the strictest
/// answer, so the program's filter decides as it would without Rewind: its ERRNO, TRAP and KILL
/// outrank the TRACE of Rewind's own filter, which was installed first. What it decides depends
/// on the syscall's registers alone, which replay reproduces, so its answers come again in replay
/// without being logged: an error without a stop, a SIGSYS at the same instruction, a death.
/// <see cref="Program"/> is the guarded program; <see cref="Flags"/> the program's flags.
/// </summary>
public sealed record ProgramFilter(ulong Flags, byte[] Program)
{
    private const int PrSetSeccomp = 22, ModeStrict = 1, ModeFilter = 2;
    private const ulong OpStrict = 0, OpFilter = 1;
    private const ulong FlagTsync = 1, FlagLog = 2, FlagSpecAllow = 4, FlagNewListener = 8;
    private const int MaxInstructions = 4096, GuardLength = 6;
    private const ushort LdAbsW = 0x20, LdImm = 0x00, JeqK = 0x15, RetK = 0x06;
    private const uint RetAllow = 0x7fff0000, RetTrace = 0x7ff00000;

    /// <summary>The SECCOMP_RET_DATA of strict mode's TRACE for a syscall that mode forbids (<see cref="AnswerOwnTrace"/>).</summary>
    private const uint StrictData = 0x5253;

    /// <summary>Whether the filter went to every thread of the process (SECCOMP_FILTER_FLAG_TSYNC), not only the caller.</summary>
    public bool Synchronizes => (Flags & FlagTsync) != 0;

    /// <summary>
    /// The filter the syscall at its entry in <paramref name="t"/> asks for, guarded; null for any
    /// other call, and for a request the kernel refuses whatever Rewind does (an unreadable or
    /// empty program, a strict mode with arguments), which then runs as it is. Strict mode becomes
    /// a filter (<see cref="Strict"/>): a thread cannot be in strict mode under Rewind's filter.
    /// </summary>
    public static ProgramFilter? Requested(Tracee t, int nr, IReadOnlyList<ulong> args)
    {
        var (op, flags, program) = nr switch
        {
            Nr.seccomp => (args[0], args[1], args[2]),
            Nr.prctl when args[0] == PrSetSeccomp && args[1] == ModeStrict => (OpStrict, 0UL, 0UL),
            Nr.prctl when args[0] == PrSetSeccomp && args[1] == ModeFilter => (OpFilter, 0UL, args[2]),
            _ => (ulong.MaxValue, 0UL, 0UL),
        };
        if (op == OpStrict && flags == 0 && program == 0)
        {
            return new ProgramFilter(0, Guarded(Strict()));
        }
        if (op != OpFilter)
        {
            return null;
        }
        Span<byte> fprog = stackalloc byte[16];
        if (t.Read(new RemotePtr(program), fprog) != fprog.Length)
        {
            return null;
        }
        int count = BinaryPrimitives.ReadUInt16LittleEndian(fprog);
        if (count == 0 || count > MaxInstructions)
        {
            return null;
        }
        if ((flags & FlagNewListener) != 0)
        {
            throw new UnsupportedException("the program asked for a seccomp user-notification listener, which would make it the judge of its own syscalls");
        }
        if (count > MaxInstructions - GuardLength)
        {
            throw new UnsupportedException($"the program installed a seccomp filter of {count} instructions, too long for Rewind's guard of {GuardLength} more");
        }
        var bpf = new byte[count * 8];
        return t.Read(new RemotePtr(BinaryPrimitives.ReadUInt64LittleEndian(fprog[8..])), bpf) == bpf.Length
            ? new ProgramFilter(flags, Guarded(bpf)) : null;
    }

    /// <summary>
    /// Installs the filter in thread <paramref name="t"/> (every thread of its process, for
    /// TSYNC) by a syscall injected from <see cref="SyscallPage"/>, which is mapped first if the
    /// process lacks it; returns the kernel's answer. The threads of the process,
    /// <paramref name="threads"/>, inject from the page from now on.
    /// </summary>
    public long Install(Tracee t, IEnumerable<Tracee> threads)
    {
        SyscallPage.Ensure(t);
        foreach (var thread in threads.Append(t))
        {
            thread.UseSyscallGadget(SyscallPage.Address);
        }
        var fprog = new byte[16 + Program.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(fprog, (ushort)(Program.Length / 8));
        BinaryPrimitives.WriteUInt64LittleEndian(fprog.AsSpan(8), (SyscallPage.Scratch + 16).Value);
        Program.CopyTo(fprog, 16);
        t.Write(SyscallPage.Scratch, fprog);
        return t.InjectSyscall(Nr.seccomp, OpFilter, Flags, SyscallPage.Scratch.Value);
    }

    /// <summary>
    /// The seccomp filters thread <paramref name="t"/> holds, oldest first, read back from the
    /// kernel (PTRACE_SECCOMP_GET_FILTER and _GET_METADATA, which need CAP_SYS_ADMIN) and guarded
    /// as Rewind installs them; empty when it has none. For a process Rewind did not start.
    /// </summary>
    public static unsafe IReadOnlyList<ProgramFilter> Held(Tracee t)
    {
        const int GetFilter = 0x420c, GetMetadata = 0x420d, ENOENT = 2;
        var filters = new List<ProgramFilter>();
        for (int index = 0; ; index++)
        {
            long count = Interop.ptrace(GetFilter, t.Pid, index, 0);
            if (count < 0)
            {
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                // EINVAL: no filter at all (seccomp mode is not FILTER); ENOENT: past the oldest.
                if (errno == ENOENT || index == 0 && errno == Errno.EINVAL)
                {
                    break;
                }
                throw new ErrnoException($"ptrace(PTRACE_SECCOMP_GET_FILTER) of thread {t.Pid}", errno);
            }
            var program = new byte[count * 8];
            Span<ulong> metadata = [(ulong)index, 0];
            fixed (byte* p = program)
            fixed (ulong* m = metadata)
            {
                Interop.Check(Interop.ptrace(GetFilter, t.Pid, index, (nint)p), "ptrace(PTRACE_SECCOMP_GET_FILTER)");
                Interop.Check(Interop.ptrace(GetMetadata, t.Pid, 16, (nint)m), "ptrace(PTRACE_SECCOMP_GET_METADATA)");
            }
            filters.Add(new ProgramFilter(metadata[1], Guarded(program)));
        }
        // Index 0 is the newest.
        filters.Reverse();
        return filters;
    }

    /// <summary>The filter as a restored checkpoint's thread installs it again: what it does, not how it was spread.</summary>
    public ProgramFilter Restored => this with { Flags = Flags & (FlagLog | FlagSpecAllow) };

    /// <summary>
    /// <paramref name="program"/> behind the guard: a syscall whose instruction pointer (after the
    /// syscall instruction, seccomp_data at 8) is the page's is allowed; any other meets the
    /// program's filter with the accumulator zeroed, as the kernel starts a filter.
    /// </summary>
    internal static byte[] Guarded(ReadOnlySpan<byte> program)
    {
        ulong ip = (SyscallPage.Address + 2).Value;
        var guard = SeccompFilter.Encode(
        [
            (LdAbsW, 0, 0, 12),
            (JeqK, 0, 3, (uint)(ip >> 32)),
            (LdAbsW, 0, 0, 8),
            (JeqK, 0, 1, (uint)ip),
            (RetK, 0, 0, RetAllow),
            (LdImm, 0, 0, 0),
        ]);
        return [.. guard, .. program];
    }

    /// <summary>
    /// Answers a seccomp stop that a filter of the program's asked for, as the kernel would without
    /// Rewind, and returns true; false for a stop of Rewind's own filter (<see cref="SeccompFilter.TraceData"/>:
    /// the latest filter's data wins, so another value is the program's). The program's TRACE gets
    /// ENOSYS, as without a tracer (seccomp(2)); a syscall its strict mode forbids, SIGKILL.
    /// </summary>
    public static bool AnswerOwnTrace(Tracee t, Registers regs)
    {
        ulong data = t.GetEventMessage();
        if (data == SeccompFilter.TraceData)
        {
            return false;
        }
        if (data == StrictData)
        {
            t.SendSignal(Signal.SIGKILL);
            return true;
        }
        regs.OrigRax = ulong.MaxValue;
        regs.Rax = unchecked((ulong)-Errno.ENOSYS);
        t.SetRegisters(regs);
        return true;
    }

    /// <summary>
    /// SECCOMP_MODE_STRICT as a filter: read, write, _exit and rt_sigreturn, and a TRACE that
    /// Rewind answers with SIGKILL for anything else (seccomp(2)).
    /// </summary>
    internal static byte[] Strict()
    {
        const int Read = 0, Write = 1, RtSigreturn = 15, Exit = 60;
        return SeccompFilter.Encode(
        [
            (LdAbsW, 0, 0, 0),
            (JeqK, 4, 0, Read),
            (JeqK, 3, 0, Write),
            (JeqK, 2, 0, RtSigreturn),
            (JeqK, 1, 0, Exit),
            (RetK, 0, 0, RetTrace | StrictData),
            (RetK, 0, 0, RetAllow),
        ]);
    }
}
