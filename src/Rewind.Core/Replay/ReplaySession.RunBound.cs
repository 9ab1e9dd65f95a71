using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// A bound on the run of the thread in hand towards an event whose place is not searched (a
/// syscall, a thread's end): a replay gone another way than the recording can spin there for
/// ever, a thread waiting for a value that another thread, stopped at a wrong moment, never
/// writes. When recorded, one thread ran at a time, so its CPU time from its previous event to
/// this one was at most the wall time between them; replay allows it what a place's search
/// allows (<see cref="SearchLimit"/>), and past that ends the run as a divergence. One watchdog
/// thread, started at the first such run, looks at the running thread's process clock a few
/// times a second and stops the thread (SIGSTOP, as a search's watcher does) once it is over.
/// Each stop on the way (a debugger's breakpoint in a loop) may cost the thread up to
/// <see cref="SearchStopNanos"/> more, as in a search.
/// </summary>
public sealed partial class ReplaySession
{
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMilliseconds(200);

    // The process CPU clock reading past which the run in progress is overdue (0: none), and that process's clock.
    private long _runBound;
    private ThreadCpu? _runCpu;
    private System.Threading.Thread? _watchdog;
    private volatile bool _closed;
    // The event the thread in hand runs to, and the stops it has made on the way.
    private long _runEvent = -1, _runStops;

    /// <summary>Bounds the run about to start, where the next event is the thread in hand's and no search bounds it already.</summary>
    private void BoundRun()
    {
        if (RunLimit() is not { } limit)
        {
            return;
        }
        if (_runEvent != NextEvent)
        {
            (_runEvent, _runStops) = (NextEvent, 0);
        }
        var cpu = _thread.Process.Cpu;
        _runCpu = cpu;
        Volatile.Write(ref _runBound, cpu.ProcessNanos() - cpu.SinceEvent(_thread.Recorded) + limit);
        _watchdog ??= StartWatchdog();
    }

    /// <summary>The run is over (its thread stopped).</summary>
    private void EndRunBound()
    {
        Volatile.Write(ref _runBound, 0);
        _runStops++;
    }

    /// <summary>Ends as a divergence a run of the thread in hand that has overrun its bound (its watchdog's SIGSTOP came).</summary>
    private void CheckRunTime()
    {
        if (RunLimit() is { } limit && _thread.Process.Cpu.SinceEvent(_thread.Recorded) is var spent && spent > limit)
        {
            throw Diverged($"{Describe(_next?.Event)} was not reached in {spent / 1e9:0.0} s of CPU time; it came {WallSinceLastEvent() / 1e9:0.000} s after the thread's previous event when recorded");
        }
    }

    /// <summary>The CPU time the thread in hand may take to its next event, if that is its own and not a place a search bounds.</summary>
    private long? RunLimit() =>
        _next?.Event is { } next && next.Tid == _thread.Recorded && _searching != NextEvent && next is not (PreemptionEvent or SignalEvent { Synchronous: false })
            && WallSinceLastEvent() is { } wall ? SearchLimit((ulong)wall) + (_runEvent == NextEvent ? _runStops : 0) * SearchStopNanos : null;

    /// <summary>Nanoseconds of wall time between the thread in hand's last event and the next one, when recorded; null where replay began after its last.</summary>
    private long? WallSinceLastEvent() =>
        _thread.LastEvent is { } last && _next is { } next ? Math.Max(0, next.Event.Time - last.Event.Time) * 1000 : null;

    private System.Threading.Thread StartWatchdog()
    {
        var thread = new System.Threading.Thread(() =>
        {
            while (!_closed)
            {
                System.Threading.Thread.Sleep(WatchdogPeriod);
                long bound = Volatile.Read(ref _runBound);
                int tgid = _runningTgid, tid = _runningTid;
                if (bound > 0 && tid > 0 && _runCpu is { } cpu && cpu.ProcessNanos() > bound)
                {
                    Interop.tgkill(tgid, tid, Signal.SIGSTOP);
                }
            }
        })
        { IsBackground = true, Name = "rewind watchdog" };
        thread.Start();
        return thread;
    }
}
