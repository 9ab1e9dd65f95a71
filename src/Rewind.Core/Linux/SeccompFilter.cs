using System.Buffers.Binary;
using Rewind.Syscalls;

namespace Rewind.Linux;

/// <summary>
/// The seccomp-bpf program both the recorded and the replayed process run: SECCOMP_RET_TRACE
/// (a ptrace stop) for every syscall except those in <paramref name="untraced"/>, which replay
/// re-executes natively with the same effect. A syscall of the i386 ABI (int $0x80) is trapped
/// instead (SIGSYS, SYS_SECCOMP): its number means something else, and the SIGSYS says so at no
/// cost to the others. An x32 number (bit 30 set) is traced like any other: it shows in orig_rax,
/// and most kernels answer it ENOSYS. A ptrace stop costs ~12 µs here (DESIGN.md §7), so the
/// untraced set is what keeps hot paths fast.
/// </summary>
public static class SeccompFilter
{
    private const ushort LdAbsW = 0x20, JeqK = 0x15, JgeK = 0x35, RetK = 0x06;
    private const uint AuditArchX86_64 = 0xc000003e;
    private const uint RetAllow = 0x7fff0000, RetTrap = 0x00030000;

    /// <summary>
    /// The SECCOMP_RET_DATA of this filter's TRACE, which PTRACE_GETEVENTMSG gives at the stop. Another
    /// value there is a TRACE of the program's own filter (the latest filter's data wins), which
    /// without a tracer the kernel answers ENOSYS (seccomp(2)), as Rewind must.
    /// </summary>
    public const uint TraceData = 0x5257;

    private const uint RetTrace = 0x7ff00000 | TraceData;

    /// <summary>
    /// madvise advice that is traced although madvise is not: MADV_DONTFORK and MADV_WIPEONFORK,
    /// which the tracer skips (<see cref="Syscalls.SyscallTable.IsSkippedAdvice"/>), and
    /// MADV_DONTNEED and MADV_DONTNEED_LOCKED, after which a private file mapping reads back from
    /// its file (madvise(2)): replay maps such a file as an anonymous copy, so they are events.
    /// </summary>
    public static readonly IReadOnlyList<uint> TracedAdvice = [4, 10, 18, 24];

    /// <summary>
    /// arch_prctl codes that are traced although arch_prctl is not: ARCH_GET_CPUID and
    /// ARCH_SET_CPUID, which would tell or undo the CPUID trap of record and replay.
    /// </summary>
    private static readonly IReadOnlyList<uint> TracedArchCodes = [Interop.ARCH_GET_CPUID, Interop.ARCH_SET_CPUID];

    /// <summary>
    /// Untraced syscalls traced for some values of one argument: its offset in seccomp_data (the
    /// low half of args[i] at 16 + 8i), and those values. rt_sigaction stops for the signals of
    /// the tracer's traps, whose actions it follows (<see cref="ThreadSignals"/>).
    /// </summary>
    private static readonly (int Nr, uint Offset, IReadOnlyList<uint> Values)[] TracedArguments =
        [(Nr.madvise, 32, TracedAdvice), (Nr.arch_prctl, 16, TracedArchCodes), (Nr.rt_sigaction, 16, [.. TrapActions.Signals.Select(s => (uint)s)])];

    /// <summary>
    /// Untraced syscalls traced unless one argument, a pointer (its offset in seccomp_data), is
    /// null: rt_sigprocmask given a new set, whose blocked signals the tracer follows
    /// (<see cref="ThreadSignals"/>); one that only reads the mask (sigsetjmp saves it so) runs on.
    /// </summary>
    private static readonly (int Nr, uint Offset)[] TracedPointers = [(Nr.rt_sigprocmask, 24)];

    /// <summary>Untraced syscalls traced all the same: rt_sigreturn sets the blocked signals from its frame (<see cref="ThreadSignals"/>).</summary>
    internal static readonly IReadOnlyList<int> TracedAlways = [Nr.rt_sigreturn];

    /// <summary>
    /// The filter as an array of 8-byte struct sock_filter; <paramref name="unseen"/> are syscalls
    /// allowed from one address alone (seccomp_data.instruction_pointer, after the instruction, at
    /// 8 and its high half at 12): the time reads <see cref="TimeReadPage"/> logs while recording.
    /// </summary>
    internal static byte[] Build(IReadOnlyList<int> untraced, IEnumerable<(int Nr, RemotePtr Return)>? unseen = null)
    {
        var program = new List<(ushort Code, byte Jt, byte Jf, uint K)>
        {
            (LdAbsW, 0, 0, 4),                    // A = seccomp_data.arch
            (JeqK, 1, 0, AuditArchX86_64),
            (RetK, 0, 0, RetTrap),                // another ABI (int $0x80): a SIGSYS the tracer refuses by name
            (LdAbsW, 0, 0, 0),                    // A = seccomp_data.nr
            (JgeK, 0, 1, X32Abi.SyscallBit),
            (RetK, 0, 0, RetTrace),               // an x32 or a negative number: traced, for the tracer to answer as the kernel would
        };
        foreach (var (nr, after) in unseen ?? [])
        {
            program.Add((JeqK, 0, 6, (uint)nr));                    // another syscall: the next block
            program.Add((LdAbsW, 0, 0, 8));
            program.Add((JeqK, 0, 3, (uint)after.Value));
            program.Add((LdAbsW, 0, 0, 12));
            program.Add((JeqK, 0, 1, (uint)(after.Value >> 32)));
            program.Add((RetK, 0, 0, RetAllow));
            program.Add((LdAbsW, 0, 0, 0));                         // from anywhere else: A is the number again
        }
        var blocks = TracedArguments.Where(a => untraced.Contains(a.Nr)).ToList();
        var pointers = TracedPointers.Where(a => untraced.Contains(a.Nr)).ToList();
        var allowed = untraced.Except(TracedAlways).ToList();
        // The TRACE at the end, past the blocks and one jump for each syscall allowed.
        int trace = program.Count + blocks.Sum(b => 3 + b.Values.Count) + pointers.Count * 6 + allowed.Count;
        foreach (var (nr, offset, values) in blocks)
        {
            // This syscall with a traced value goes to TRACE, with any other to ALLOW; A is
            // loaded again with the number for the next block.
            program.Add((JeqK, 0, (byte)(1 + values.Count + 1), (uint)nr));
            program.Add((LdAbsW, 0, 0, offset));
            foreach (uint value in values)
            {
                program.Add((JeqK, (byte)(trace - program.Count - 1), 0, value));
            }
            program.Add((RetK, 0, 0, RetAllow));
        }
        foreach (var (nr, offset) in pointers)
        {
            // This syscall with a pointer whose either half is not 0 goes to TRACE, with a null
            // one to ALLOW; as above, A keeps the number for the next block.
            program.Add((JeqK, 0, 5, (uint)nr));
            program.Add((LdAbsW, 0, 0, offset));
            program.Add((JeqK, 0, (byte)(trace - program.Count - 1), 0));
            program.Add((LdAbsW, 0, 0, offset + 4));
            program.Add((JeqK, 0, (byte)(trace - program.Count - 1), 0));
            program.Add((RetK, 0, 0, RetAllow));
        }
        // Each syscall allowed jumps to the final ALLOW; everything else falls through to TRACE.
        for (int i = 0; i < allowed.Count; i++)
        {
            program.Add((JeqK, (byte)(allowed.Count - i), 0, (uint)allowed[i]));
        }
        program.Add((RetK, 0, 0, RetTrace));
        program.Add((RetK, 0, 0, RetAllow));

        return Encode(program);
    }

    /// <summary>A program as an array of 8-byte struct sock_filter (linux/filter.h).</summary>
    internal static byte[] Encode(IReadOnlyList<(ushort Code, byte Jt, byte Jf, uint K)> program)
    {
        var bytes = new byte[program.Count * 8];
        for (int i = 0; i < program.Count; i++)
        {
            var span = bytes.AsSpan(i * 8);
            BinaryPrimitives.WriteUInt16LittleEndian(span, program[i].Code);
            span[2] = program[i].Jt;
            span[3] = program[i].Jf;
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], program[i].K);
        }
        return bytes;
    }
}
