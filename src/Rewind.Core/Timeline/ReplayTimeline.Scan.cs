using Rewind.Replay;

namespace Rewind.Timeline;

public sealed partial class ReplayTimeline
{
    /// <summary>
    /// Runs a copy of the replay from the start of the trace with breakpoints on
    /// <paramref name="addresses"/> and calls <paramref name="onHit"/> at every hit, in time order,
    /// until it returns false: up to the present (what a breakpoint set now would have shown in the
    /// past: retroactive logpoints) or to the end of the trace (every moment a line runs, to jump
    /// to). The present does not move.
    /// </summary>
    public void ScanHits(IReadOnlyCollection<RemotePtr> addresses, bool untilPresent, Func<RemotePtr, Position, IMemoryReader, bool> onHit)
    {
        var end = _stop.Position;
        using var run = _snapshots.AtOrBefore(0).Fork();
        var breakpoints = new HashSet<RemotePtr>(addresses);
        if (untilPresent && !end.IsBoundary)
        {
            breakpoints.Add(end.Pc);
        }
        run.SetBreakpoints(breakpoints);
        while (true)
        {
            var stop = run.Resume();
            if (untilPresent && Reached(end, run, stop) || stop.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace || run.Next is Trace.ExitEvent)
            {
                return;
            }
            if (stop.Kind == ReplayStopKind.Breakpoint && addresses.Contains(stop.Address) && !onHit(stop.Address, PositionOf(run, false), run))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="look"/> with the end of the trace as the present (what the program
    /// made by then: code a JIT compiled later than now), then makes the present what it was, with
    /// the same stop. Nothing is printed on the way.
    /// </summary>
    public T LookAtEnd<T>(Func<T> look)
    {
        var stop = _stop;
        RunToEvent(TotalEvents);
        try
        {
            return look();
        }
        finally
        {
            GoTo(stop.Position);
            SetStop(stop);
        }
    }

    /// <summary>Makes <paramref name="target"/>, a position found earlier, the present.</summary>
    public TimelineStop GoToPosition(Position target)
    {
        GoTo(target);
        return SetStop(new TimelineStop(StopReason.Arrived, target));
    }
}
