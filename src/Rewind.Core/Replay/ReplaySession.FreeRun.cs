using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// Finding the place of a preemption or an asynchronous signal fast where no <see cref="PlaceProbe"/> fits its instruction (the
/// probe searches at nearly the program's speed, from the start, and cannot run past the place).
/// A breakpoint on the place's pc stops at every pass, which in a hot loop costs thousands of
/// times the loop (shared/DESIGN.md §9). The recording says how much CPU time the thread used
/// between its last event and the preemption or signal; replay lets it run most of that with no breakpoint,
/// and only then arms the breakpoint and compares registers at each pass.
/// A watcher on another thread reads the process's CPU clock and stops the thread with a SIGSTOP
/// (no signal mask blocks it) when its time is up; the SIGSTOP is dropped at its stop.
/// </summary>
public sealed partial class ReplaySession
{
    /// <summary>
    /// The share of the recorded CPU time run freely. The same code on the same CPU model reached
    /// its place after 90% to 95% of it (GNU sort, 2 threads: the recorded run bears the
    /// recorder's interruptions); on another model it may be much faster. Running past the place
    /// is a divergence (seen at 90% and 97%), so the share stays below: 75% here, 40% elsewhere.
    /// </summary>
    private readonly double _freeRunShare;

    internal static readonly Lazy<TraceMachine> ThisMachine = new(TraceMachine.Current);

    /// <summary>
    /// Whether the trace was recorded on this CPU's model: its vendor, family and model from CPUID
    /// where the trace has it (the model names of VMs say little: "AMD EPYC" for several
    /// generations), else its model name.
    /// </summary>
    private static bool SameCpu(TraceMachine recorded)
    {
        if (recorded.Cpuid is not { } leaves)
        {
            return recorded.CpuModel == ThisMachine.Value.CpuModel;
        }
        CpuidTable there = new(leaves), here = new(ThisMachine.Value.Cpuid!);
        return (there.Vendor, there.Family, there.Model) == (here.Vendor, here.Family, here.Model);
    }

    /// <summary>
    /// The flags a place's registers are compared by: the arithmetic flags on the recording CPU's
    /// model, none on another. Some instructions leave some of them undefined (AF after a shift or
    /// a logical operation, SF, ZF and PF after a multiplication: Intel SDM vol. 1, appendix A),
    /// and vendors set those differently: an xorshift loop recorded on an AMD EPYC reached its
    /// place on an Intel Xeon with every register right but AF.
    /// </summary>
    private readonly ulong _comparedFlags;

    /// <summary>How far the thread runs on between its watcher's SIGSTOP and its stop (measured: about 2 ms).</summary>
    private const long StopLatencyNanos = 3_000_000;

    /// <summary>A free run shorter than this is not worth it: the breakpoint finds the place soon enough.</summary>
    private const long MinFreeRunNanos = 2_000_000;

    /// <summary>
    /// A search still short of its place after this many times the recorded CPU time, plus the
    /// margin, has run past it (a loop that waits for the signal spins for ever): a divergence.
    /// A probe's pass costs a loop of a few instructions up to some 30 times the loop (the jump,
    /// the flags saved and restored, the compares), and a search may be a probe's all the way.
    /// </summary>
    private const long SearchOverrun = 32, SearchMarginNanos = 2_000_000_000;

    /// <summary>What each stop of a search may cost the thread on top (a breakpoint's trap and its signal are kernel time charged to it).</summary>
    private const long SearchStopNanos = 50_000;

    /// <summary>How often a search past its limit in CPU time reads the thread's user time (a /proc read), in stops.</summary>
    private const long UserTimeEvery = 1024;

    // Bumped to call off the watcher of an earlier free run or search.
    private int _freeRunGeneration;

    // The search for the next event's place: the thread's CPU time since its event and its user
    // time when it began, and the stops it has made.
    private long _searchFrom, _searchUserFrom, _searchStops;

    /// <summary>
    /// Whether the thread in hand runs on freely towards the place of the next event, a preemption or
    /// an asynchronous signal (a watcher stops it when its time is up). <paramref name="runNanos"/> is
    /// the CPU time the thread used from its previous event to <paramref name="place"/> when recorded;
    /// null in traces made before signals had it, which search from the previous event.
    /// </summary>
    private bool RunsFreely(Tid tid, ulong? runNanos, in Registers place)
    {
        if (_searching == NextEvent)
        {
            CheckSearchTime(tid, runNanos);
            return false;
        }
        long left = runNanos is { } ran ? (long)(ran * _freeRunShare) - StopLatencyNanos - _thread.Process.Cpu.SinceEvent(tid) : 0;
        if (left < MinFreeRunNanos || PlaceProbe.Decode(this, place.Pc) is { } instruction && PlaceProbe.Fits(this, instruction))
        {
            _searching = NextEvent;
            _searchFrom = _thread.Process.Cpu.SinceEvent(tid);
            _searchUserFrom = _tracee.UserNanos();
            _searchStops = 0;
            if (runNanos is { } recorded)
            {
                // A probe runs the thread with no stop until the place: only the watcher's SIGSTOP can end a search that overran.
                WatchFreeRun(_thread.Process.Cpu.ProcessNanos() + SearchLimit(recorded) - _thread.Process.Cpu.SinceEvent(tid));
            }
            else
            {
                Interlocked.Increment(ref _freeRunGeneration);
            }
            return false;
        }
        WatchFreeRun(_thread.Process.Cpu.ProcessNanos() + left);
        return true;
    }

    private static long SearchLimit(ulong recordedNanos) => (long)Math.Min(recordedNanos, long.MaxValue / 8) * SearchOverrun + SearchMarginNanos;

    /// <summary>
    /// Ends, as a divergence, a search for the next event's place that has run well past the CPU
    /// time the thread took to it when recorded (docs/decisions.md, "Positions without a counter").
    /// Each stop of a search (a breakpoint's trap and its signal) is kernel time charged to the
    /// thread, which the recorded run did not spend, so each may cost it up to 50 µs more. Where
    /// stops cost less, that allowance outruns them and a runaway search would never end: past
    /// the limit, every so many stops, the thread's own code's share, its user time since the
    /// search began (/proc/PID/task/TID/stat), ends it too.
    /// </summary>
    private void CheckSearchTime(Tid tid, ulong? runNanos)
    {
        if (runNanos is not { } recorded)
        {
            return;
        }
        long stops = _searchStops++, limit = SearchLimit(recorded), spent = _thread.Process.Cpu.SinceEvent(tid);
        if (spent <= limit)
        {
            return;
        }
        long ran = spent > limit + stops * SearchStopNanos ? spent
            : stops > 0 && stops % UserTimeEvery == 0 ? _searchFrom + _tracee.UserNanos() - _searchUserFrom : 0;
        if (ran > limit)
        {
            Interlocked.Increment(ref _freeRunGeneration);
            throw Diverged($"the place of {Describe(_next?.Event)} was not reached in {ran / 1e9:0.0} s of CPU time; it came after {recorded / 1e9:0.000} s when recorded");
        }
    }

    /// <summary>Stops the thread in hand once the process's CPU clock reaches <paramref name="until"/>: sleeping while far, then polling.</summary>
    private void WatchFreeRun(long until)
    {
        int generation = Interlocked.Increment(ref _freeRunGeneration);
        int tgid = _tracee.Tgid, tid = _tracee.Pid;
        var cpu = _thread.Process.Cpu;
        new System.Threading.Thread(() =>
        {
            // Until the run or search ends, however slowly the thread gets its CPU time (a loaded
            // machine): giving up on the wall clock's pace left a search nothing would end.
            while (Volatile.Read(ref _freeRunGeneration) == generation)
            {
                long left = until - cpu.ProcessNanos();
                if (left <= 0)
                {
                    Interop.tgkill(tgid, tid, Signal.SIGSTOP);
                    return;
                }
                if (left > 3_000_000)
                {
                    // In short naps: a search's watcher is called off as soon as its place is found.
                    System.Threading.Thread.Sleep(TimeSpan.FromTicks(Math.Min(left - 2_000_000, 50_000_000) / 100));
                }
                else
                {
                    // Yield, so that a thread sharing this CPU still runs.
                    System.Threading.Thread.Yield();
                }
            }
        })
        { IsBackground = true, Name = "rewind free run" }.Start();
    }
}
