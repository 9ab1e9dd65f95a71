using Rewind.Linux;

namespace Rewind;

/// <summary>
/// Keeps a tracer thread and its tracee on one CPU. Record and replay run one thread at a time
/// and hand control back and forth at every stop; on one CPU each hand-over is a plain context
/// switch, across CPUs it is a wake-up by interrupt, which a virtual machine makes several times
/// dearer (measured: a breakpoint pass 75 µs across two vCPUs, 32 µs on one; 20,000 getppid
/// recorded in 1.05 s instead of 2.1 s).
/// </summary>
internal static class CpuPinning
{
    private const int MaskBytes = 128;

    /// <summary>
    /// The CPUs this process may run on: its main thread's mask, which no pinning touches (tracer
    /// threads pin themselves). What a recorded program sees as its own, and what the threads a
    /// tracer starts and the children it does not record get back.
    /// </summary>
    public static readonly byte[] Allowed = MaskOf(Environment.ProcessId);

    /// <summary>Pins the calling thread to the CPU it runs on.</summary>
    public static void PinHere() => _ = Pin(0, Interop.sched_getcpu());

    /// <summary>Pins the calling thread to the CPU it runs on, and <paramref name="tracee"/> (whose new threads and forks inherit it) to the same.</summary>
    public static void PinWith(Tracee tracee)
    {
        int cpu = Interop.sched_getcpu();
        // Best effort: a CPU set that forbids it (a container's cpuset) leaves both where they are.
        if (Pin(0, cpu))
        {
            _ = Pin(tracee.Pid, cpu);
        }
    }

    /// <summary>
    /// Pins the calling thread to the core whose initial APIC id is <paramref name="apicId"/>
    /// (/proc/cpuinfo's "initial apicid"), where it may run there: a program that reads CPUID
    /// itself reads the ids of its core, and replay on the recorded core reads them as recorded.
    /// Elsewhere the thread stays where it is (<see cref="PinWith"/> then pins it where it runs).
    /// </summary>
    public static void PinTo(int apicId)
    {
        int cpu = CpuOfApicId(apicId);
        if (cpu >= 0 && cpu < Allowed.Length * 8 && (Allowed[cpu / 8] & (1 << (cpu % 8))) != 0)
        {
            _ = Pin(0, cpu);
        }
    }

    /// <summary>Pins thread <paramref name="tid"/> (0: the calling one) to CPU <paramref name="cpu"/>; false where it cannot be.</summary>
    private static unsafe bool Pin(int tid, int cpu)
    {
        if (cpu < 0 || cpu >= MaskBytes * 8)
        {
            return false;
        }
        if (tid == 0)
        {
            _ = RuntimeThreadsStarted.Value;
        }
        ulong* mask = stackalloc ulong[MaskBytes / 8];
        new Span<ulong>(mask, MaskBytes / 8).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        return Interop.sched_setaffinity(tid, MaskBytes, mask) == 0;
    }

    /// <summary>The CPU number of the core with initial APIC id <paramref name="apicId"/>, or -1 where /proc/cpuinfo does not say.</summary>
    private static int CpuOfApicId(int apicId)
    {
        int cpu = -1;
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':');
                if (colon < 0)
                {
                    continue;
                }
                string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                if (key == "processor")
                {
                    cpu = int.TryParse(value, out int n) ? n : -1;
                }
                else if (key == "initial apicid" && int.TryParse(value, out int id) && id == apicId)
                {
                    return cpu;
                }
            }
        }
        catch (IOException)
        {
        }
        return -1;
    }

    /// <summary>
    /// The runtime's timer thread and pool workers, started before the first thread pins itself
    /// (<see cref="StartRuntimeThreads"/>).
    /// </summary>
    private static readonly Lazy<bool> RuntimeThreadsStarted = new(StartRuntimeThreads);

    /// <summary>
    /// Starts the runtime's timer thread, and as many pool workers as the pool keeps (one per CPU,
    /// its minimum), from the calling thread before it pins itself: a thread starts with the mask
    /// of the one that starts it, and the runtime starts these from whichever thread first needs
    /// them, a tracer's among them. Started pinned, the timer thread started pinned workers for its
    /// callbacks, and a worker that ran none of our work (which releases it, <see cref="ReleasePoolThread"/>)
    /// stayed on the CPU the program and its tracer share. A worker the pool adds later (past its
    /// minimum, or for one that left after idling) may still start pinned, from a tracer queueing
    /// work, which it then runs, released.
    /// </summary>
    private static bool StartRuntimeThreads()
    {
        // The timer thread starts with the first timer scheduled.
        using (new Timer(_ => { }, null, TimeSpan.FromDays(1), Timeout.InfiniteTimeSpan))
        {
        }
        // The pool starts a worker for each item queued, up to its minimum, in the call that queues it.
        for (int i = 0; i < Environment.ProcessorCount; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => { }, null);
        }
        return true;
    }

    /// <summary>
    /// Starts <paramref name="body"/> on a background thread of its own, <paramref name="name"/>,
    /// free to run on every CPU of <see cref="Allowed"/>: a new thread has the mask of the one
    /// that starts it, maybe a tracer's, pinned with its tracee to one CPU.
    /// </summary>
    public static Thread StartUnpinned(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            Release(0);
            body();
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    /// <summary>
    /// Lets the calling thread, where it is a thread pool's, run on every CPU of <see cref="Allowed"/>
    /// before it runs work of ours: a thread starts with the mask of the one that starts it, and
    /// the runtime starts its timer thread and pool workers from whichever thread first needs
    /// them, a tracer's among them. Left pinned, a pool worker ran a checkpoint's persisting, and
    /// spun waiting for work, on the CPU the program and its tracer share. Any other thread (a
    /// tracer running a parallel loop's share itself) keeps its mask.
    /// </summary>
    public static void ReleasePoolThread()
    {
        if (Thread.CurrentThread.IsThreadPoolThread)
        {
            Release(0);
        }
    }

    /// <summary>Lets thread <paramref name="tid"/> (0: the calling one) run on every CPU of <see cref="Allowed"/> again.</summary>
    public static unsafe void Release(int tid)
    {
        fixed (byte* mask = Allowed)
        {
            _ = Interop.sched_setaffinity(tid, Allowed.Length, (ulong*)mask);
        }
    }

    /// <summary>The CPUs thread <paramref name="tid"/> may run on, as a mask of <see cref="MaskBytes"/> bytes (empty where it cannot be read).</summary>
    public static unsafe byte[] MaskOf(int tid)
    {
        var mask = new byte[MaskBytes];
        fixed (byte* p = mask)
        {
            return Interop.sched_getaffinity(tid, MaskBytes, (ulong*)p) == 0 ? mask : [];
        }
    }
}
