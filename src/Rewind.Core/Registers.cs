using System.Runtime.InteropServices;

namespace Rewind;

/// <summary>
/// A thread's general registers in the kernel's x86-64 <c>struct user_regs_struct</c> layout, as
/// PTRACE_GETREGS and PTRACE_SETREGS move them. Mutable on purpose: it is the tracer's scratch copy.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct Registers : IEquatable<Registers>
{
    public ulong R15, R14, R13, R12, Rbp, Rbx, R11, R10, R9, R8, Rax, Rcx, Rdx, Rsi, Rdi;
    public ulong OrigRax, Rip, Cs, Eflags, Rsp, Ss, FsBase, GsBase, Ds, Es, Fs, Gs;

    public const int Size = 27 * 8;

    public readonly RemotePtr Pc => new(Rip);

    public readonly RemotePtr Sp => new(Rsp);

    /// <summary>The syscall number at a syscall stop (orig_rax: rax already holds -ENOSYS there).</summary>
    public readonly int SyscallNumber => (int)(long)OrigRax;

    /// <summary>Syscall argument <paramref name="i"/> (0-5) by the x86-64 syscall convention.</summary>
    public readonly ulong Arg(int i) => i switch
    {
        0 => Rdi, 1 => Rsi, 2 => Rdx, 3 => R10, 4 => R8, 5 => R9,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    public void SetArg(int i, ulong value)
    {
        switch (i)
        {
            case 0: Rdi = value; break;
            case 1: Rsi = value; break;
            case 2: Rdx = value; break;
            case 3: R10 = value; break;
            case 4: R8 = value; break;
            case 5: R9 = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(i));
        }
    }

    public readonly ulong[] Args() => [Rdi, Rsi, Rdx, R10, R8, R9];

    public readonly long Result => (long)Rax;

    /// <summary>
    /// These registers, taken at a syscall's entry, as they were just before its <c>syscall</c>
    /// instruction: running on from them enters the syscall again. Replay keeps a thread waiting
    /// in a syscall so, and a checkpoint saves it so.
    /// </summary>
    public readonly Registers BeforeSyscall() => this with { Rip = Rip - 2, Rax = OrigRax, OrigRax = ulong.MaxValue };

    /// <summary>
    /// These registers, taken where a syscall ended with a restart code (-ERESTART*), as the kernel
    /// sets them when no signal handler acts on it (arch_do_signal_or_restart): back on the
    /// <c>syscall</c> instruction with the syscall's number again, or with restart_syscall(2) for
    /// -ERESTART_RESTARTBLOCK, which goes on with what the kernel kept of the call (a sleep's deadline).
    /// </summary>
    public readonly Registers Restarted() =>
        this with { Rip = Rip - 2, Rax = Result == -Linux.Errno.ERESTART_RESTARTBLOCK ? Syscalls.Nr.restart_syscall : OrigRax };

    public readonly byte[] ToBytes() => MemoryMarshal.AsBytes(new ReadOnlySpan<Registers>(in this)).ToArray();

    public static Registers FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size ? MemoryMarshal.Read<Registers>(bytes) : throw new TraceFormatException($"registers are {bytes.Length} bytes, not {Size}");

    /// <summary>
    /// The arithmetic flags (CF, PF, AF, ZF, SF, OF): what a program can observe of eflags; TF and
    /// RF differ between a stepped and a running thread.
    /// </summary>
    public const ulong ArithmeticFlags = 0x8d5;

    // The `syscall` instruction copies rflags into r11, TF included when the thread is stepped.
    private const ulong SteppingFlags = 0x10100;

    /// <summary>
    /// Equal as far as the program can tell: every general register, the pc and fs_base; of the
    /// flags (in eflags, and in r11 where a syscall saved them) only <paramref name="flags"/>, all
    /// the arithmetic ones by default; not orig_rax, which the tracer rewrites to skip syscalls.
    /// </summary>
    public readonly bool SameUserState(in Registers other, ulong flags = ArithmeticFlags)
    {
        ulong ignored = SteppingFlags | (ArithmeticFlags & ~flags);
        return R15 == other.R15 && R14 == other.R14 && R13 == other.R13 && R12 == other.R12 && Rbp == other.Rbp
            && Rbx == other.Rbx && (R11 & ~ignored) == (other.R11 & ~ignored) && R10 == other.R10 && R9 == other.R9 && R8 == other.R8
            && Rax == other.Rax && Rcx == other.Rcx && Rdx == other.Rdx && Rsi == other.Rsi && Rdi == other.Rdi
            && Rip == other.Rip && Rsp == other.Rsp && FsBase == other.FsBase
            && (Eflags & flags) == (other.Eflags & flags);
    }

    public readonly bool Equals(Registers other) => ToBytes().AsSpan().SequenceEqual(other.ToBytes());

    public override readonly bool Equals(object? obj) => obj is Registers r && Equals(r);

    public override readonly int GetHashCode() => HashCode.Combine(Rip, Rsp, Rax);

    public static bool operator ==(Registers a, Registers b) => a.Equals(b);

    public static bool operator !=(Registers a, Registers b) => !a.Equals(b);
}
