using Rewind.Linux;

namespace Rewind;

/// <summary>
/// Keeps a tracer thread and its tracee on one CPU. Replay runs one thread at a time and hands
/// control back and forth at every stop; on one CPU each hand-over is a plain context switch,
/// across CPUs it is a wake-up by interrupt, which a virtual machine makes several times dearer
/// (measured: a breakpoint pass 75 µs across two vCPUs, 32 µs on one).
/// </summary>
internal static class CpuPinning
{
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
