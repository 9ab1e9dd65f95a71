namespace Rewind.Linux;

/// <summary>
/// The x32 ABI: x86-64 syscall numbers with bit 30 set (__X32_SYSCALL_BIT), taking 32-bit
/// pointers. Only a kernel built with CONFIG_X86_X32_ABI, and not booted with syscall.x32=n, runs
/// them; any other answers ENOSYS, as for a number it has no syscall for (do_syscall_x32).
/// </summary>
public static class X32Abi
{
    public const int SyscallBit = 0x40000000;

    /// <summary>One past the last x32 syscall: its own calls are 512-547 (arch/x86/entry/syscalls/syscall_64.tbl).</summary>
    private const int TableEnd = 548;

    private const long GetPid = 39;

    /// <summary>Whether this kernel runs x32 syscalls: an x32 getpid of Rewind's own answers.</summary>
    private static readonly Lazy<bool> Enabled = new(() => Interop.syscall(SyscallBit | GetPid, 0, 0) > 0);

    /// <summary>Whether this kernel runs syscall <paramref name="number"/> as an x32 syscall; otherwise it answers ENOSYS.</summary>
    public static bool Runs(int number) => number - SyscallBit is >= 0 and < TableEnd && Enabled.Value;
}
