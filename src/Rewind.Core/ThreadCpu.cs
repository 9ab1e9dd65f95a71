using Rewind.Linux;

namespace Rewind;

/// <summary>
/// How much CPU time each thread of a process has used since its last event, while its threads
/// run one at a time (shared/DESIGN.md §9). The kernel lets a tracer read only a whole process's
/// CPU clock (a per-thread clock is for the thread's own process), so the process clock is read
/// at each event and hand-over, and the time between two readings is charged to the thread in
/// hand: the others are stopped, or asleep in the kernel. One clock_gettime a reading.
/// </summary>
internal sealed class ThreadCpu
{
    private readonly int _clock;
    private readonly Dictionary<Tid, long> _sinceEvent = [];
    private Tid _holder;
    private long _mark;

    /// <param name="process">the process's id (its leader's tid).</param>
    /// <param name="holder">the thread in hand now.</param>
    public ThreadCpu(int process, Tid holder)
    {
        // MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED), include/linux/posix-timers_types.h.
        _clock = (~process << 3) | 2;
        _holder = holder;
        _mark = ProcessNanos();
    }

    /// <summary>The thread in hand becomes <paramref name="tid"/>; the time until now was its predecessor's.</summary>
    public void Hand(Tid tid)
    {
        Charge();
        _holder = tid;
    }

    /// <summary><paramref name="tid"/> is at an event: its count starts again.</summary>
    public void Event(Tid tid)
    {
        Charge();
        _sinceEvent[tid] = 0;
    }

    /// <summary>Nanoseconds <paramref name="tid"/> has run since its last event.</summary>
    public long SinceEvent(Tid tid)
    {
        Charge();
        return _sinceEvent.GetValueOrDefault(tid);
    }

    private void Charge()
    {
        long now = ProcessNanos();
        _sinceEvent[_holder] = _sinceEvent.GetValueOrDefault(_holder) + Math.Max(0, now - _mark);
        _mark = now;
    }

    /// <summary>The process's CPU time in ns, now, safe from any thread; the last reading once it cannot be read (the process is gone), which charges nothing.</summary>
    public long ProcessNanos() => Interop.ReadClock(_clock, out long seconds, out long nanoseconds) ? seconds * 1_000_000_000 + nanoseconds : _mark;
}
