using System.Globalization;
using System.Runtime.InteropServices;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Recording;

/// <summary>
/// A time read answered at its seccomp stop, without the syscall-exit stop that doubles its cost:
/// clock_gettime of a clock every process reads alike, gettimeofday without a timezone, and time,
/// which are syscalls under the recorder (<see cref="VdsoStandIn"/>); a JVM's start makes
/// thousands. The recorder reads the clock itself (its own vDSO reads the timekeeping the
/// kernel's syscall reads) and writes the answer where the kernel would; the call is skipped and
/// logged by the syscall-exit path as any call is, its writes read back from memory, so the event
/// is the one the kernel's answer gives. What it cannot answer exactly goes to the kernel: any
/// other clock, a timezone to write, a pointer the kernel would fail with EFAULT (and may have
/// written in part before), a process in another time namespace or with protection keys.
/// </summary>
internal static class TimeRead
{
    private const int ClockRealtime = 0, ClockRealtimeCoarse = 5;

    /// <summary>The recorder's time namespace; null where the kernel has none (built without it, or before Linux 5.6).</summary>
    private static readonly string? RecorderNamespace = TimeNamespaceOf("self");

    /// <summary>
    /// Answers the time read whose seccomp stop <paramref name="t"/> is at, writing what the kernel
    /// would write; returns the call's result, or null where the kernel must answer it (nothing
    /// is written then).
    /// </summary>
    public static long? Answer(RecordedThread t, in Registers entry)
    {
        if (!IsAnswerable(entry) || t.Process.ProtectionKeys || !SharesRecorderClocks(t))
        {
            return null;
        }
        Span<long> words = stackalloc long[2];
        switch (entry.SyscallNumber)
        {
            case Nr.clock_gettime:
                // struct __kernel_timespec: tv_sec and tv_nsec, 64 bits each (put_timespec64).
                (words[0], words[1]) = Clock((int)entry.Arg(0));
                return Wrote(t.Tracee, entry.Arg(1), words) ? 0 : null;
            case Nr.gettimeofday:
                // struct __kernel_old_timeval of CLOCK_REALTIME (ktime_get_real_ts64): tv_sec, tv_usec; a NULL tv is left alone.
                var (seconds, nanoseconds) = Clock(ClockRealtime);
                (words[0], words[1]) = (seconds, nanoseconds / 1000);
                return entry.Arg(0) == 0 || Wrote(t.Tracee, entry.Arg(0), words) ? 0 : null;
            default:
                // time: the timekeeper's seconds as of its last tick (ktime_get_real_seconds, xtime_sec),
                // which CLOCK_REALTIME_COARSE gives, not CLOCK_REALTIME's; stored too unless tloc is NULL.
                words[0] = Clock(ClockRealtimeCoarse).Seconds;
                return entry.Arg(0) == 0 || Wrote(t.Tracee, entry.Arg(0), words[..1]) ? words[0] : null;
        }
    }

    /// <summary>
    /// The calls answered here. clock_gettime's clock (an int, include/uapi/linux/time.h): REALTIME,
    /// MONOTONIC, MONOTONIC_RAW, REALTIME_COARSE, MONOTONIC_COARSE, BOOTTIME, TAI; not the CPU-time
    /// clocks (2, 3 and the negative ids of a process, a thread or a clock device), which count the
    /// program's own threads, nor the alarm clocks (EINVAL without an RTC). gettimeofday's timezone,
    /// the kernel's sys_tz, is left to the kernel to write: programs pass NULL.
    /// </summary>
    private static bool IsAnswerable(in Registers entry) => entry.SyscallNumber switch
    {
        Nr.clock_gettime => (int)entry.Arg(0) is 0 or 1 or 4 or 5 or 6 or 7 or 11,
        Nr.gettimeofday => entry.Arg(1) == 0,
        Nr.time => true,
        _ => false,
    };

    /// <summary>
    /// Writes <paramref name="words"/> at <paramref name="address"/> as the kernel's put_user and
    /// copy_to_user would, or nothing: within one page the program may write, which takes them
    /// whole. Where it may not, the kernel fails with EFAULT, across a page boundary after writing
    /// as much as it could: the kernel answers those.
    /// </summary>
    private static bool Wrote(Tracee tracee, ulong address, ReadOnlySpan<long> words)
    {
        var bytes = MemoryMarshal.AsBytes(words);
        return address % AddressSpace.PageSize + (ulong)bytes.Length <= AddressSpace.PageSize && tracee.WriteAsProgram(new RemotePtr(address), bytes);
    }

    private static (long Seconds, long Nanoseconds) Clock(int clock) =>
        Interop.ReadClock(clock, out long seconds, out long nanoseconds) ? (seconds, nanoseconds) : throw Interop.Error($"clock_gettime({clock})");

    /// <summary>
    /// Whether the thread's process reads the recorder's clocks: CLOCK_MONOTONIC and CLOCK_BOOTTIME
    /// (and their kinds) are offset per time namespace (time_namespaces(7)). Read once per image.
    /// </summary>
    private static bool SharesRecorderClocks(RecordedThread t) =>
        t.Process.SharesRecorderClocks ??= TimeNamespaceOf(t.Tid.Value.ToString(CultureInfo.InvariantCulture)) == RecorderNamespace;

    private static string? TimeNamespaceOf(string task)
    {
        try
        {
            return new FileInfo($"/proc/{task}/ns/time").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
