namespace Rewind.Syscalls;

public static partial class SyscallTable
{
    /// <summary>
    /// Syscalls that can wait for another thread, a child or the outside world: pipes and sockets
    /// (both ways: a full pipe blocks its writer), FIFOs on open, locks, waits, sleeps and polls.
    /// While one of these is in the kernel, the recorder lets the other threads run (DESIGN §9).
    /// </summary>
    private static readonly HashSet<int> Blocking =
    [
        0, 1, 2, 7, 17, 18, 19, 20, 23, 34, 35, 40, 42, 43, 44, 45, 46, 47, 61, 65, 69, 70, 73, 128, 130,
        208, 220, 230, 232, 242, 243, 247, 257, 270, 271, 275, 276, 281, 288, 295, 296, 299, 307, 327, 328,
        426, 441, 449, 455,
    ];

    private const int FutexWait = 0, FutexLockPi = 6, FutexWaitBitset = 9, FutexWaitRequeuePi = 11, FutexLockPi2 = 13;
    private const int FcntlSetLockWait = 7, FcntlOfdSetLockWait = 38;

    /// <summary>Whether syscall <paramref name="number"/> with these arguments may wait for something another thread does.</summary>
    public static bool MayBlock(int number, ReadOnlySpan<ulong> args) => number switch
    {
        // futex(2): the operation is the low 7 bits (FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME above).
        202 => (int)(args[1] & 0x7f) is FutexWait or FutexLockPi or FutexWaitBitset or FutexWaitRequeuePi or FutexLockPi2,
        72 => (int)args[1] is FcntlSetLockWait or FcntlOfdSetLockWait,
        _ => Blocking.Contains(number),
    };
}
