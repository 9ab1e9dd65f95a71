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

    private static readonly Lazy<string> ThisCpuModel = new(() => TraceMachine.Current().CpuModel);

    /// <summary>How far the thread runs on between its watcher's SIGSTOP and its stop (measured: about 2 ms).</summary>
    private const long StopLatencyNanos = 3_000_000;

    /// <summary>A free run shorter than this is not worth it: the breakpoint finds the place soon enough.</summary>
    private const long MinFreeRunNanos = 2_000_000;

    // Bumped to call off the watcher of an earlier free run.
    private int _freeRunGeneration;

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
            return false;
        }
        long left = runNanos is { } ran ? (long)(ran * _freeRunShare) - StopLatencyNanos - _thread.Process.Cpu.SinceEvent(tid) : 0;
        if (left < MinFreeRunNanos || PlaceProbe.Decode(this, place.Pc) is { } instruction && PlaceProbe.Fits(this, instruction))
        {
            _searching = NextEvent;
            Interlocked.Increment(ref _freeRunGeneration);
            return false;
        }
        WatchFreeRun(_thread.Process.Cpu.ProcessNanos() + left);
        return true;
    }

    /// <summary>Stops the thread in hand once the process's CPU clock reaches <paramref name="until"/>: sleeping while far, then polling.</summary>
    private void WatchFreeRun(long until)
    {
        int generation = Interlocked.Increment(ref _freeRunGeneration);
        int tgid = _tracee.Tgid, tid = _tracee.Pid;
        var cpu = _thread.Process.Cpu;
        new System.Threading.Thread(() =>
        {
            // Not past the wall clock's own pace (the thread runs alone), with room to spare.
            var giveUp = DateTime.UtcNow + TimeSpan.FromTicks((until - cpu.ProcessNanos()) / 100) + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref _freeRunGeneration) == generation && DateTime.UtcNow < giveUp)
            {
                long left = until - cpu.ProcessNanos();
                if (left <= 0)
                {
                    Interop.tgkill(tgid, tid, Signal.SIGSTOP);
                    return;
                }
                if (left > 3_000_000)
                {
                    System.Threading.Thread.Sleep(TimeSpan.FromTicks((left - 2_000_000) / 100));
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
