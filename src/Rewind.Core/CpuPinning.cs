using Rewind.Linux;

namespace Rewind;

/// <summary>
/// Keeps a tracer thread and its tracee on one CPU. Record and replay run one thread at a time
/// and hand control back and forth at every stop; on one CPU each hand-over is a plain context
/// switch, across CPUs it is a wake-up by interrupt, which a virtual machine makes several times
/// dearer (measured: a breakpoint pass 75 µs across two vCPUs, 32 µs on one).
/// </summary>
internal static class CpuPinning
{
    private const int MaskBytes = 128;

    /// <summary>The CPUs the calling thread may run on now, as sched_getaffinity gives them.</summary>
    public static unsafe byte[] Allowed()
    {
        var mask = new byte[MaskBytes];
        fixed (byte* p = mask)
        {
            long n = Interop.syscall(Interop.SYS_sched_getaffinity, 0, MaskBytes, (long)p);
            return n > 0 ? mask[..(int)n] : [];
        }
    }

    /// <summary>Lets <paramref name="pid"/> run on <paramref name="mask"/> again (a child of a pinned tracee, which need not share its CPU).</summary>
    public static unsafe void Release(int pid, byte[] mask)
    {
        if (mask.Length == 0)
        {
            return;
        }
        fixed (byte* p = mask)
        {
            _ = Interop.sched_setaffinity(pid, mask.Length, (ulong*)p);
        }
    }

    /// <summary>Pins the calling thread to the CPU it runs on, and <paramref name="tracee"/> (whose new threads and forks inherit it) to the same.</summary>
    public static unsafe void PinWith(Tracee tracee)
    {
        int cpu = Interop.sched_getcpu();
        if (cpu < 0 || cpu >= 1024)
        {
            return;
        }
        ulong* mask = stackalloc ulong[16];
        new Span<ulong>(mask, 16).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        // Best effort: a CPU set that forbids it (a container's cpuset) leaves both where they are.
        if (Interop.sched_setaffinity(0, 16 * sizeof(ulong), mask) == 0)
        {
            _ = Interop.sched_setaffinity(tracee.Pid, 16 * sizeof(ulong), mask);
        }
    }
}
