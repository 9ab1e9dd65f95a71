using Rewind.Linux;

namespace Rewind.Recording;

/// <summary>
/// Wakes the tracer thread out of waitpid when a time slice ends. ptrace requests (PTRACE_INTERRUPT)
/// must come from the tracer thread, which is blocked in waitpid, and no timeout exists for that
/// call; so a timer sends a signal to a sleeping process of ours that the tracer thread traces,
/// whose signal-delivery-stop ends the wait. The program itself is never signalled.
/// </summary>
internal sealed class SliceAlarm : IDisposable
{
    private readonly Tracee _sleeper;
    private readonly Timer _timer;
    private int _armed;

    public SliceAlarm()
    {
        _sleeper = Tracee.SpawnShellStopped("kill -STOP $$; exec sleep infinity", [], [], ownProcessGroup: true, inheritedMask: false);
        _sleeper.Resume(Resume.Continue);
        _timer = new Timer(_ => Ring());
    }

    public int Pid => _sleeper.Pid;

    /// <summary>Rings once after <paramref name="delay"/>, unless already armed.</summary>
    public void Arm(TimeSpan delay)
    {
        if (Interlocked.Exchange(ref _armed, 1) == 0)
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Ring()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Interop.kill(_sleeper.Pid, Signal.SIGWINCH);
        }
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
