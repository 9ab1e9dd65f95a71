using Rewind.Checkpoints;
using Rewind.Linux;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    /// <summary>How long processes may outlive the first one before the user is told that the recording waits for them: children that end soon after their parent need no word.</summary>
    private static readonly TimeSpan SurvivorsNoticeDelay = TimeSpan.FromSeconds(2);

    // When the user is to be told of the processes that outlived the first one, if they still run then.
    private TimeSpan? _survivorsNoticeAt;
    // Set on the runtime's signal thread: the user asked the recording to end while processes that outlived the first one ran.
    private volatile bool _endAsked;
    private bool _survivorsKilled;

    /// <summary>
    /// The first process ended while processes it started run on (a daemon that left its parent,
    /// a child in the background): they are recorded to their ends, as rr does, however long
    /// that takes. The terminal is the recorder's again, and a ^C (or SIGTERM, SIGHUP, SIGQUIT)
    /// to rewind ends them and the recording (<see cref="KillSurvivors"/>). The user is told after
    /// a while (<see cref="TellOfSurvivors"/>). The alarm, made here on the tracer's thread, wakes
    /// the tracer's wait for either.
    /// </summary>
    private void OnFirstProcessEnded()
    {
        var alarm = Alarm();
        _group.ProgramEnded(() =>
        {
            _endAsked = true;
            alarm.Arm(TimeSpan.Zero);
        });
        _survivorsNoticeAt = _clock.Elapsed + SurvivorsNoticeDelay;
        alarm.Arm(SurvivorsNoticeDelay);
    }

    /// <summary>At each ring of the alarm: tells the user of the processes the recording waits for once their time has come, else sets the alarm for it again.</summary>
    private void TellOfSurvivors()
    {
        if (_survivorsNoticeAt is not { } at || _processes.Count == 0)
        {
            return;
        }
        var left = at - _clock.Elapsed;
        if (left > TimeSpan.Zero)
        {
            Alarm().Arm(left);
            return;
        }
        _survivorsNoticeAt = null;
        int n = _processes.Count;
        string which = string.Join(", ", _processes.Select(p => ProcStatus.Describe(p.Pid)));
        _notice?.Invoke($"the program's first process exited; the recording waits for the {(n == 1 ? "process" : $"{n} processes")} it started, "
            + $"still running: {which}; ^C ends {(n == 1 ? "it" : "them")} and the recording");
    }

    /// <summary>
    /// The user asked the recording to end while processes outlived the first one: each is killed,
    /// and the recording ends once their deaths are logged. None can run on without the recorder:
    /// each carries its seccomp filter, whose SECCOMP_RET_TRACE fails every syscall with ENOSYS
    /// once no tracer is attached (seccomp(2)).
    /// </summary>
    private void KillSurvivors()
    {
        _survivorsKilled = true;
        foreach (var process in _processes)
        {
            _notes.Add($"process {ProcStatus.Describe(process.Pid)} was still running when the recording was ended: it was killed, as it cannot run on without Rewind");
            _ = Interop.kill(process.Pid, Signal.SIGKILL);
        }
    }
}
