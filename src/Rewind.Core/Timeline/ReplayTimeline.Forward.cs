using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Timeline;

public sealed partial class ReplayTimeline
{
    // Snapshots taken while running forward: at most one per this much replay time.
    private static readonly TimeSpan SnapshotSpacing = TimeSpan.FromMilliseconds(25);

    private DateTime _lastSnapshot = DateTime.MinValue;
    private volatile bool _interrupt;
    private volatile ReplaySession? _running;

    /// <summary>Runs until a breakpoint, a watchpoint, a recorded signal, an end of the trace, or <see cref="Interrupt"/>.</summary>
    public TimelineStop Continue(Direction direction) =>
        direction == Direction.Forward ? ContinueForward() : ReverseContinue(_ => true, []);

    /// <summary>
    /// Asks the continue under way to stop where it is (a debugger's pause); safe from any thread.
    /// The running process gets a signal, which replay drops, so that even a loop with no event stops.
    /// </summary>
    public void Interrupt()
    {
        _interrupt = true;
        _running?.Kick();
    }

    /// <summary>Executes one instruction, forward or backward.</summary>
    public TimelineStop StepInstruction(Direction direction) =>
        direction == Direction.Forward ? StepForward() : StepBackward();

    /// <summary>Goes to the boundary just before event <paramref name="eventIndex"/> (after the events before it).</summary>
    public TimelineStop RunToEvent(long eventIndex)
    {
        if (eventIndex >= _exitEvent)
        {
            GoToEnd();
            return _stop;
        }
        var session = SessionAtBoundary(Math.Max(_startEvent, eventIndex));
        BecomeLive(session);
        return SetStop(new TimelineStop(StopReason.Arrived, Here(boundary: true)));
    }

    /// <summary>
    /// Makes <paramref name="thread"/> the present thread, to step it: the others run as recorded up
    /// to the boundary before its next event, where it is about to run (breakpoints do not stop them
    /// on the way). Nothing moves when it is the present thread already.
    /// </summary>
    public TimelineStop RunUntilRunning(Tid thread)
    {
        if (thread == Thread)
        {
            return _stop;
        }
        long next = _trace.Events(_live.NextEvent).FirstOrDefault(e => e.Event.Tid == thread && e.Event is not ExitEvent).Index;
        if (next == 0 || !Threads.Any(t => t.Tid == thread))
        {
            throw new RewindException($"thread {thread} does not run again in this recording");
        }
        RunToEvent(next);
        _live.TakeNextEventThread();
        return SetStop(new TimelineStop(StopReason.Arrived, Here(boundary: true)));
    }

    /// <summary>Goes to the event at <paramref name="percent"/> (0-100) of the trace.</summary>
    public TimelineStop RunToPercent(double percent) =>
        RunToEvent((long)Math.Round(Math.Clamp(percent, 0, 100) / 100 * TotalEvents));

    private TimelineStop ContinueForward()
    {
        // An interrupt that came while nothing ran is not for this motion.
        _interrupt = false;
        if (AtEnd())
        {
            return SetStop(EndStop());
        }
        _showOutput = true;
        _running = _live;
        try
        {
            while (true)
            {
                var stop = _live.Resume();
                if (Arrival(stop) is { } arrived)
                {
                    return SetStop(arrived);
                }
            }
        }
        finally
        {
            _showOutput = false;
            _running = null;
        }
    }

    private TimelineStop StepForward()
    {
        if (AtEnd())
        {
            return SetStop(EndStop());
        }
        _showOutput = true;
        try
        {
            var stop = _live.Resume(step: true);
            return SetStop(Arrival(stop) ?? new TimelineStop(StopReason.Step, Here(boundary: stop.Kind == ReplayStopKind.Event)));
        }
        finally
        {
            _showOutput = false;
        }
    }

    /// <summary>What a stop of the live replay means to a user, or null to keep going.</summary>
    private TimelineStop? Arrival(ReplayStop stop)
    {
        switch (stop.Kind)
        {
            case ReplayStopKind.Event:
                if (AtEnd())
                {
                    return EndStop();
                }
                if (KernelWrote(_live, _watchpoints) is { } watched)
                {
                    return new TimelineStop(StopReason.Watchpoint, Here(boundary: true), watched.Address, WrittenBy: _live.NextEvent - 1);
                }
                KeepSnapshot(_live, _live.NextEvent, spaced: true);
                // The flag decides; the signal only wakes a stretch with no event, and one that
                // lands during a snapshot's fork is held back by it.
                return _interrupt ? new TimelineStop(StopReason.Arrived, Here(boundary: true), Note: "paused") : null;
            case ReplayStopKind.Breakpoint:
                return new TimelineStop(StopReason.Breakpoint, Here(boundary: false), stop.Address);
            case ReplayStopKind.Watchpoint:
                return new TimelineStop(StopReason.Watchpoint, Here(boundary: false), stop.Address);
            case ReplayStopKind.Step:
                return new TimelineStop(StopReason.Step, Here(boundary: false));
            case ReplayStopKind.Signal:
                return new TimelineStop(StopReason.Signal, Here(boundary: false), Signal: stop.Signal);
            case ReplayStopKind.Interrupted:
                return _interrupt ? new TimelineStop(StopReason.Arrived, Here(boundary: false), Note: "paused") : null;
            default:
                return EndStop(stop.Note);
        }
    }

    /// <summary>
    /// At the end nothing runs any more: the next event is the process's end, the trace ends, or
    /// the present is the fatal signal the recording ended with.
    /// </summary>
    private bool AtEnd() =>
        _live.IsOver || _live.Next is null or ExitEvent
        || _stop.Reason is StopReason.Signal or StopReason.EndOfTrace && IsFatal(_stop.Signal);

    private bool IsFatal(int signal) =>
        signal != 0 && Exit?.Signal == signal && _live.NextEvent >= _exitEvent - 1;

    private TimelineStop EndStop(string? note = null)
    {
        return new TimelineStop(StopReason.EndOfTrace, _live.IsOver ? _stop.Position : Here(boundary: _stop.Reason != StopReason.Signal),
            Signal: Exit?.Signal ?? 0, Exit: Exit, Note: note ?? _trace.RecoveryNote);
    }

    private TimelineStop SetStop(TimelineStop stop)
    {
        _stop = stop;
        if (stop.Position.IsBoundary)
        {
            KeepSnapshot(_live, _live.NextEvent, spaced: false);
        }
        return stop;
    }

    /// <summary>
    /// Keeps a snapshot of <paramref name="session"/>, which stands at an event boundary; when
    /// <paramref name="spaced"/>, at most one per <see cref="SnapshotSpacing"/> of replay.
    /// </summary>
    private void KeepSnapshot(ReplaySession session, long present, bool spaced)
    {
        if (session.IsSettled && session.Previous != null && (!spaced || DateTime.UtcNow - _lastSnapshot > SnapshotSpacing))
        {
            _snapshots.Take(session, present);
            _lastSnapshot = DateTime.UtcNow;
        }
    }

    /// <summary>Runs the live replay to the end of the process debugged (its last stop before its end).</summary>
    private void GoToEnd()
    {
        var session = SessionAtBoundary(Math.Max(_startEvent, _exitEvent - 1));
        BecomeLive(session);
        while (!AtEnd())
        {
            var stop = _live.Resume();
            if (stop.Kind == ReplayStopKind.Signal && IsFatal(stop.Signal))
            {
                SetStop(new TimelineStop(StopReason.Signal, Here(boundary: false), Signal: stop.Signal));
                return;
            }
        }
        SetStop(EndStop());
    }

    /// <summary>
    /// A live replay standing at the boundary before event <paramref name="eventIndex"/>: the live
    /// one run forward when it is not past it, else a fork of the nearest earlier snapshot.
    /// Breakpoints and watchpoints do not stop it on the way.
    /// </summary>
    private ReplaySession SessionAtBoundary(long eventIndex)
    {
        var snapshot = _snapshots.AtOrBefore(eventIndex);
        bool liveIsCloser = !_live.IsOver && _live.IsSettled && _live.NextEvent <= eventIndex && _live.NextEvent >= snapshot.NextEvent
            && !(_live.NextEvent == eventIndex && !_stop.Position.IsBoundary);
        var session = liveIsCloser ? _live : snapshot.Fork(Output);
        try
        {
            session.SetBreakpoints([]);
            session.SetWatchpoints([]);
            while (session.NextEvent < eventIndex || !session.IsSettled && session.NextEvent == eventIndex)
            {
                var stop = session.Resume();
                if (stop.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace || session.Next is ExitEvent)
                {
                    break;
                }
                if (stop.Kind == ReplayStopKind.Event)
                {
                    KeepSnapshot(session, eventIndex, spaced: true);
                }
            }
            return session;
        }
        catch
        {
            if (!ReferenceEquals(session, _live))
            {
                session.Dispose();
            }
            throw;
        }
    }
}
