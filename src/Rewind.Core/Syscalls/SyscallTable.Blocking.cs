namespace Rewind.Syscalls;

public static partial class SyscallTable
{
    /// <summary>
    /// Syscalls that can wait for another thread, a child or the outside world: pipes and sockets
    /// (both ways: a full pipe blocks its writer), FIFOs on open, locks, waits, sleeps and polls.
    /// While one of these is in the kernel, the recorder lets the other threads run (DESIGN §9).
    /// restart_syscall (219) goes on with a wait a signal cut short (poll, nanosleep, clock_nanosleep,
    /// a futex wait with a timeout): after a SIGCHLD that a traced process stops for even where it
    /// is ignored, a parent's poll for its other child's output goes on there.
    /// </summary>
    private static readonly HashSet<int> Blocking =
    [
        0, 1, 2, 7, 17, 18, 19, 20, 23, 34, 35, 40, 42, 43, 44, 45, 46, 47, 61, 65, 69, 70, 73, 128, 130,
        208, 219, 220, 230, 232, 242, 243, 247, 257, 270, 271, 275, 276, 281, 288, 295, 296, 299, 307, 327, 328,
        426, 441, 449, 455,
    ];

    private const int FutexWait = 0, FutexLockPi = 6, FutexWaitBitset = 9, FutexWaitRequeuePi = 11, FutexLockPi2 = 13;
    private const int FcntlSetLockWait = 7, FcntlOfdSetLockWait = 38;

    /// <summary>
    /// The signals a waiting syscall takes out of the thread's mask until it returns, which /proc
    /// shows missing from the mask meanwhile: those rt_sigtimedwait (sigwaitinfo, sigtimedwait)
    /// waits for (kernel/signal.c, do_sigtimedwait, keeps the mask in real_blocked). The caller
    /// has blocked them (sigwait(3)), so they belong to the thread's own mask. 0 for another syscall.
    /// </summary>
    public static ulong UnblockedWhileWaiting(int number, ReadOnlySpan<ulong> args, Tracee t) =>
        number == Nr.rt_sigtimedwait && args[0] != 0 ? t.ReadUInt64(new RemotePtr(args[0])) : 0;

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

    /// <summary>
    /// The buffers syscall <paramref name="number"/>, one that may block, may write, as its entry
    /// gives them: the argument holding each pointer, the most bytes the kernel may write there,
    /// and whether the scratch copy starts as the program's bytes: where the kernel reads them
    /// first (poll's descriptors, select's sets, a timeout it updates, a socket address's length,
    /// a file offset), or may leave them unwritten while the capture takes them all (a wait that
    /// found nothing, a failed accept or receive): what goes back is then what was there. Only
    /// buffers captured as far as the result says they were filled start empty. The recorder moves
    /// them to scratch memory while the call waits (<c>OutputRedirect</c>). Not listed: iovec arrays
    /// (<see cref="MovableVector"/>), message headers (<see cref="MovableMessages"/>), and a sleep's remaining time,
    /// whose pointer the kernel keeps for restart_syscall(2).
    /// </summary>
    public static IEnumerable<(int Arg, ulong Size, bool CopyIn)> MovableOutputs(int number, ulong[] args, Tracee t)
    {
        ulong setBytes = (Math.Min(args[0], 65536) + 63) / 64 * 8;
        (int, ulong, bool)[] buffers = number switch
        {
            Nr.read or Nr.pread64 => [(1, args[2], false)],
            Nr.poll => [(0, Math.Min(args[1], 65536) * 8, true)],
            Nr.ppoll => [(0, Math.Min(args[1], 65536) * 8, true), (2, TimespecSize, true)],
            Nr.select or Nr.pselect6 => [(1, setBytes, true), (2, setBytes, true), (3, setBytes, true), (4, TimespecSize, true)],
            Nr.wait4 => [(1, 4, true), (3, RusageSize, true)],
            Nr.waitid => [(2, SiginfoSize, true), (4, RusageSize, true)],
            Nr.accept or Nr.accept4 => [(1, SocketAddressLength(args[2], t), true), (2, 4, true)],
            Nr.recvfrom => [(1, args[2], false), (4, SocketAddressLength(args[5], t), true), (5, 4, true)],
            Nr.epoll_wait or Nr.epoll_pwait or Nr.epoll_pwait2 => [(1, Math.Min(args[2], 1 << 20) * 12, false)],
            Nr.rt_sigtimedwait => [(1, SiginfoSize, true)],
            Nr.recvmmsg => [(4, TimespecSize, true)],
            Nr.mq_timedreceive => [(1, args[2], false), (3, 4, true)],
            Nr.sendfile => [(2, 8, true)],
            Nr.splice => [(1, 8, true), (3, 8, true)],
            _ => [],
        };
        return buffers.Where(b => args[b.Item1] != 0 && b.Item2 != 0);
    }

    /// <summary>
    /// The iovec array a syscall that may block fills in order (readv, preadv, preadv2): the
    /// argument holding it and its count. The recorder moves the array and every buffer it names.
    /// </summary>
    public static (int Arg, ulong Count)? MovableVector(int number, ulong[] args) => number switch
    {
        Nr.readv or Nr.preadv or Nr.preadv2 => (1, args[2]),
        _ => null,
    };

    /// <summary>
    /// The message headers a syscall that may block fills: the argument holding them, how many
    /// and their stride (recvmsg's one struct msghdr; recvmmsg's struct mmsghdr array, of at most
    /// UIO_MAXIOV entries, as the kernel clamps vlen). The recorder moves them and every buffer they name.
    /// </summary>
    public static (int Arg, int Count, int Stride)? MovableMessages(int number, ulong[] args) => number switch
    {
        Nr.recvmsg => (1, 1, 56),
        Nr.recvmmsg => (1, (int)Math.Min(args[2], IoVectors.Max), 64),
        _ => null,
    };

    /// <summary>The room for a socket address that the length at <paramref name="lengthPtr"/> gives (at most a sockaddr_storage); 0 where it cannot be read.</summary>
    private static ulong SocketAddressLength(ulong lengthPtr, Tracee t)
    {
        Span<byte> length = stackalloc byte[4];
        return lengthPtr != 0 && t.Read(new RemotePtr(lengthPtr), length) == 4 ? Math.Min(BitConverter.ToUInt32(length), 128u) : 0;
    }

    /// <summary>
    /// Whether a wait in syscall <paramref name="number"/>, cut short by PTRACE_INTERRUPT (the
    /// kernel then finds a signal pending, with none queued), ends with a restart code from which
    /// the kernel goes on as if the call had never stopped (arch_do_signal_or_restart,
    /// <see cref="Registers.Restarted"/>): -ERESTARTSYS or -ERESTARTNOHAND, after which the call is
    /// made again as it was given (wait4, waitid, pause, rt_sigsuspend, flock, fcntl's lock waits, a
    /// futex wait without a timeout, a read of a pipe or FIFO; select, pselect6 and ppoll write the
    /// time left into their timeout first), or -ERESTART_RESTARTBLOCK, after which restart_syscall(2)
    /// goes on to the deadline the kernel kept (nanosleep, clock_nanosleep, poll, a futex wait with
    /// a timeout). Not: epoll_wait, epoll_pwait, epoll_pwait2 and rt_sigtimedwait, which end with
    /// -EINTR, the program's to see (<see cref="TimeoutOfEintrWait"/>); writes and sends, part of which may be written already; connect, which
    /// answers EALREADY when made again; socket reads and accept, which end with -EINTR under a
    /// receive timeout (sock_intr_errno); the calls not checked yet.
    /// </summary>
    public static bool RestartsWhenInterrupted(int number, ReadOnlySpan<ulong> args, Tracee t) => number switch
    {
        Nr.wait4 or Nr.waitid or Nr.pause or Nr.rt_sigsuspend or Nr.flock or Nr.nanosleep or Nr.clock_nanosleep
            or Nr.poll or Nr.select or Nr.pselect6 or Nr.ppoll => true,
        Nr.futex => (int)(args[1] & 0x7f) is FutexWait or FutexWaitBitset,
        Nr.fcntl => (int)args[1] is FcntlSetLockWait or FcntlOfdSetLockWait,
        // A pipe's or FIFO's reader waits in pipe_read, which answers a signal with -ERESTARTSYS.
        Nr.read or Nr.readv => Linux.Interop.Stat($"/proc/{t.Tgid}/fd/{(int)args[0]}") is { IsPipe: true },
        _ => false,
    };

    /// <summary>
    /// For a wait that PTRACE_INTERRUPT ends with -EINTR (ep_poll and do_sigtimedwait answer any
    /// pending signal so, a trap included), which the program would see, and whose timeout is
    /// relative: where that timeout is, with which the recorder makes the call again, given the
    /// time left, where no signal of the program's ended it (epoll_wait, epoll_pwait, epoll_pwait2,
    /// rt_sigtimedwait: sigwaitinfo and sigtimedwait). Null for any other call.
    /// </summary>
    public static EintrTimeout? TimeoutOfEintrWait(int number) => number switch
    {
        Nr.epoll_wait or Nr.epoll_pwait => new(3, IsTimespec: false),
        Nr.epoll_pwait2 => new(3, IsTimespec: true),
        Nr.rt_sigtimedwait => new(2, IsTimespec: true),
        _ => null,
    };

    /// <summary>Whether syscall <paramref name="number"/> with these arguments may wait for something another thread does.</summary>
    public static bool MayBlock(int number, ReadOnlySpan<ulong> args) => number switch
    {
        // futex(2): the operation is the low 7 bits (FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME above).
        202 => (int)(args[1] & 0x7f) is FutexWait or FutexLockPi or FutexWaitBitset or FutexWaitRequeuePi or FutexLockPi2,
        72 => (int)args[1] is FcntlSetLockWait or FcntlOfdSetLockWait,
        _ => Blocking.Contains(number),
    };
}

/// <summary>
/// Where a wait keeps its relative timeout: argument <paramref name="Arg"/>, a count of
/// milliseconds (-1 waits for ever), or the address of a timespec (null waits for ever).
/// </summary>
public readonly record struct EintrTimeout(int Arg, bool IsTimespec);
