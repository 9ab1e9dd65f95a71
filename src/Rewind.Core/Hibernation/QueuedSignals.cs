using Rewind.Linux;

namespace Rewind.Hibernation;

/// <summary>
/// Pending signals kept with their siginfo: those whose siginfo a sender may queue again as it
/// is, the ones a POSIX timer, sigqueue(3), a message queue or AIO queued (a negative si_code
/// other than SI_TKILL: rt_sigqueueinfo(2) refuses only those that would pose as kill or the
/// kernel). A timer's signal carries the timer's sigev_value in si_value, which programs rely
/// on (a handler finds its work by it): sent again with kill it would carry none. Other
/// pending signals are kept by number, and sent again with kill.
/// </summary>
internal static class QueuedSignals
{
    private const int SiginfoSize = 128, SI_TKILL = -6;

    /// <summary>Whether <paramref name="info"/> can be queued again as it is.</summary>
    public static bool Resendable(byte[] info)
    {
        int code = BitConverter.ToInt32(info, 8);
        return code < 0 && code != SI_TKILL;
    }

    /// <summary>
    /// The resendable signals queued for a stopped thread, or for its whole process when
    /// <paramref name="shared"/>, oldest first, read without taking them (PTRACE_PEEKSIGINFO).
    /// </summary>
    public static unsafe List<byte[]> Peek(Tracee thread, bool shared)
    {
        const int Batch = 32;
        var queued = new List<byte[]>();
        var infos = new byte[Batch * SiginfoSize];
        // struct ptrace_peeksiginfo_args: u64 off, u32 flags, s32 nr.
        var args = stackalloc ulong[2];
        for (ulong offset = 0; ; offset += Batch)
        {
            args[0] = offset;
            args[1] = (shared ? (uint)Interop.PTRACE_PEEKSIGINFO_SHARED : 0) | (ulong)Batch << 32;
            long count;
            fixed (byte* p = infos)
            {
                count = Interop.Check(Interop.ptrace(Interop.PTRACE_PEEKSIGINFO, thread.Pid, (nint)args, (nint)p), "ptrace(PEEKSIGINFO)");
            }
            queued.AddRange(Enumerable.Range(0, (int)count).Select(i => infos.AsSpan(i * SiginfoSize, SiginfoSize).ToArray()).Where(Resendable));
            if (count < Batch)
            {
                return queued;
            }
        }
    }

    /// <summary>The signal numbers of <paramref name="infos"/>, as a mask.</summary>
    public static ulong Mask(IEnumerable<byte[]> infos) => infos.Aggregate(0UL, (mask, info) => mask | 1UL << (BitConverter.ToInt32(info) - 1));

    /// <summary>
    /// Queues <paramref name="info"/> for thread <paramref name="tid"/> of process
    /// <paramref name="tgid"/>, or for the whole process when <paramref name="tid"/> is 0;
    /// returns whether the kernel took it.
    /// </summary>
    public static unsafe bool Send(int tgid, int tid, byte[] info)
    {
        int signal = BitConverter.ToInt32(info);
        fixed (byte* p = info)
        {
            return (tid == 0
                ? Interop.syscall(Interop.SYS_rt_sigqueueinfo, tgid, signal, (long)p)
                : Interop.syscall(Interop.SYS_rt_tgsigqueueinfo, tgid, tid, signal, (long)p)) == 0;
        }
    }
}
