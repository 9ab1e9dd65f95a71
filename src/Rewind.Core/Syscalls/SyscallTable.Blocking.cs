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

    /// <summary>
    /// Where the signal mask is that a waiting syscall runs with instead of the thread's (the
    /// kernel puts the thread's back at its end), if it has one: rt_sigsuspend's, pselect6's,
    /// ppoll's, epoll_pwait's. Null for any other syscall, or one called without a mask.
    /// </summary>
    public static ulong? WaitMaskAddress(int number, ReadOnlySpan<ulong> args, Tracee t)
    {
        ulong address = number switch
        {
            Nr.rt_sigsuspend => args[0],
            // pselect6's last argument points to { const sigset_t *ss; size_t ss_len; }.
            Nr.pselect6 when args[5] != 0 => t.ReadUInt64(new RemotePtr(args[5])),
            Nr.ppoll => args[3],
            Nr.epoll_pwait or Nr.epoll_pwait2 => args[4],
            _ => 0,
        };
        return address == 0 ? null : address;
    }

    /// <summary>Whether syscall <paramref name="number"/> with these arguments may wait for something another thread does.</summary>
    public static bool MayBlock(int number, ReadOnlySpan<ulong> args) => number switch
    {
        // futex(2): the operation is the low 7 bits (FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME above).
        202 => (int)(args[1] & 0x7f) is FutexWait or FutexLockPi or FutexWaitBitset or FutexWaitRequeuePi or FutexLockPi2,
        72 => (int)args[1] is FcntlSetLockWait or FcntlOfdSetLockWait,
        _ => Blocking.Contains(number),
    };
}
