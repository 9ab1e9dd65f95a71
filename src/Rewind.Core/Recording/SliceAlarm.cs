using System.Diagnostics;
using Rewind.Linux;

namespace Rewind.Recording;

/// <summary>
/// Wakes the tracer thread out of waitpid when a time slice ends, or a checkpoint falls due while
/// every thread waits. ptrace requests (PTRACE_INTERRUPT) must come from the tracer thread, which
/// is blocked in waitpid, and no timeout exists for that call; so a timer sends a signal to a
/// sleeping process of ours that the tracer thread traces, whose signal-delivery-stop ends the
/// wait. The program itself is never signalled.
/// </summary>
internal sealed class SliceAlarm : IDisposable
{
    private readonly Tracee _sleeper;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    // When it rings (a Stopwatch timestamp), if it is armed.
    private long? _due;

    public SliceAlarm()
    {
        _sleeper = Tracee.SpawnShellStopped("kill -STOP $$; exec sleep infinity", [], [], processGroup: 0, inheritedMask: false);
        _sleeper.Resume(Resume.Continue);
        _timer = new Timer(_ => Ring());
    }

    public int Pid => _sleeper.Pid;

    /// <summary>
    /// Rings once after <paramref name="delay"/>, or sooner where it is armed to ring sooner already.
    /// A ring may come early (one timer callback can be on its way as another is set): whoever
    /// armed it finds their moment not come yet, and arms it again.
    /// </summary>
    public void Arm(TimeSpan delay)
    {
        long due = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        lock (_lock)
        {
            if (_due <= due)
            {
                return;
            }
            _due = due;
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Ring()
    {
        CpuPinning.ReleasePoolThread();
        lock (_lock)
        {
            if (_due == null)
            {
                return;
            }
            _due = null;
        }
        Interop.kill(_sleeper.Pid, Signal.SIGWINCH);
    }

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
        _timer.Dispose();
        _sleeper.Dispose();
    }
}
