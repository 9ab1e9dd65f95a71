using System.Diagnostics;
using Rewind.Linux;

namespace Rewind.Recording;

/// <summary>
/// Wakes the tracer thread out of waitpid when a time slice ends, or a checkpoint falls due while
/// every thread waits. ptrace requests (PTRACE_INTERRUPT) must come from the tracer thread, which
/// is blocked in waitpid, and no timeout exists for that call; so a thread of the alarm's own
/// sends a signal to a sleeping process of ours that the tracer thread traces, whose
/// signal-delivery-stop ends the wait. The program itself is never signalled. Not a timer of the
/// thread pool's: in a busy process (a test host running many tests) its callbacks came late,
/// and a slice ran long past its end.
/// </summary>
internal sealed class SliceAlarm : IDisposable
{
    private readonly Tracee _sleeper;
    private readonly Thread _ringer;
    private readonly object _gate = new();
    // When it rings (a Stopwatch timestamp), if it is armed.
    private long? _due;
    private bool _disposed;

    public SliceAlarm()
    {
        _sleeper = Tracee.SpawnShellStopped("kill -STOP $$; exec sleep infinity", [], [], processGroup: 0, inheritedMask: false);
        _sleeper.Resume(Resume.Continue);
        _ringer = CpuPinning.StartUnpinned("rewind slice alarm", RingWhenDue);
    }

    public int Pid => _sleeper.Pid;

    /// <summary>
    /// Rings once after <paramref name="delay"/>, or sooner where it is armed to ring sooner already.
    /// Whoever armed it may find their moment not come yet when it rings (it rang for another), and
    /// arms it again.
    /// </summary>
    public void Arm(TimeSpan delay)
    {
        long due = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            if (_due <= due)
            {
                return;
            }
            _due = due;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>The alarm's thread: sleeps until the earliest time armed, then signals the sleeper.</summary>
    private void RingWhenDue()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_disposed && !IsDue())
                {
                    Monitor.Wait(_gate, MillisecondsToDue());
                }
                if (_disposed)
                {
                    return;
                }
                _due = null;
            }
            Interop.kill(_sleeper.Pid, Signal.SIGWINCH);
        }
    }

    private bool IsDue() => _due is { } due && Stopwatch.GetTimestamp() >= due;

    /// <summary>How long until it is due, in whole milliseconds (at least one); for ever where it is not armed.</summary>
    private int MillisecondsToDue() =>
        _due is { } due ? Math.Max(1, (int)Math.Ceiling(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due).TotalMilliseconds)) : Timeout.Infinite;

    /// <summary>The sleeper stopped (for our signal, or its exec): let it sleep on, the signal dropped.</summary>
    public void OnStop(WaitStatus status)
    {
        if (status.Stopped)
        {
            _sleeper.Resume(Resume.Continue);
        }
        else
        {
            _sleeper.Reaped(status);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.Pulse(_gate);
        }
        _ringer.Join();
        _sleeper.Dispose();
    }
}
