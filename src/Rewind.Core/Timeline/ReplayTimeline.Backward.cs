using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Timeline;

public sealed partial class ReplayTimeline
{
    // Reverse-stepping single-steps the interval up to the present; beyond this it gives up.
    private const long MaxStepsBack = 20_000_000;

    // How many positions of a step back's trail are kept for the step backs after it.
    private const int StepTrailLength = 4096;

    private readonly List<Position> _stepTrail = [];
    private Position? _stepTrailEnd;

    /// <summary>
    /// The last time before the present that execution reached one of <paramref name="addresses"/>
    /// with <paramref name="condition"/> true of that moment (e.g. its thread and a stack-pointer bound),
    /// or hit a breakpoint; reverse-next, reverse-step and reverse-finish are built on it.
    /// </summary>
    public TimelineStop ReverseToAddresses(IReadOnlyCollection<RemotePtr> addresses, Func<Position, bool> condition) =>
        ReverseContinue(c => c.Reason != StopReason.Breakpoint || _breakpoints.Contains(c.Address) || condition(c.Position), addresses);

    /// <summary>
    /// Makes <paramref name="thread"/> the present thread at the last moment it ran, to step it
    /// back: right after its last event before the present (where it entered the syscall it waits
    /// in, was preempted, or went on no further). Nothing moves when it is the present thread.
    /// </summary>
    public TimelineStop GoToLastRunOf(Tid thread)
    {
        if (thread == Thread)
        {
            return _stop;
        }
        long last = _live.LastEventOf(thread) ?? throw new RewindException($"thread {thread} has not run since the start of this replay");
        var regs = _live.RegistersOf(thread);
        return GoToPosition(new Position(last + 1, regs, StackDigest.Of(_live, regs.Sp), IsBoundary: true, thread));
    }

    /// <summary>
    /// "When was this memory last written?": the last write before the present to
    /// [<paramref name="address"/>, +<paramref name="length"/>), by an instruction (a hardware
    /// watchpoint run backward) or by the kernel in a logged syscall.
    /// </summary>
    public TimelineStop LastWrite(RemotePtr address, int length)
    {
        var pieces = WatchPieces(address, length);
        if (pieces.Count + _watchpoints.Count > 4)
        {
            throw new RewindException($"watching {length} bytes at {address} needs {pieces.Count} debug registers; {4 - _watchpoints.Count} are free");
        }
        var stop = ReverseContinue(c => c.Reason == StopReason.Watchpoint && (c.WrittenBy != null || pieces.Any(p => p.Address == c.Address)),
            [], pieces, pieces);
        return stop.Reason == StopReason.StartOfTrace ? SetStop(stop with { Note = $"{address} was not written since the start of the trace" }) : stop;
    }

    /// <summary>Aligned 1/2/4/8-byte pieces covering a range, as debug registers need them.</summary>
    public static List<Watchpoint> WatchPieces(RemotePtr address, int length, WatchKind kind = WatchKind.Write)
    {
        var pieces = new List<Watchpoint>();
        ulong at = address.Value, end = address.Value + (ulong)Math.Max(1, length);
        while (at < end)
        {
            int size = 8;
            while (size > 1 && (at % (ulong)size != 0 || at + (ulong)size > end))
            {
                size /= 2;
            }
            pieces.Add(new Watchpoint(new RemotePtr(at), size, kind));
            at += (ulong)size;
        }
        return pieces;
    }

    /// <summary>
    /// Searches backward from the present, window by window (snapshot to where the previous window
    /// began), for the last accepted stop; goes there. None at all: the start of the trace.
    /// </summary>
    private TimelineStop ReverseContinue(Func<TimelineStop, bool> accept, IReadOnlyCollection<RemotePtr> extraBreakpoints,
        IReadOnlyList<Watchpoint>? extraWatchpoints = null, IReadOnlyList<Watchpoint>? kernelWatched = null)
    {
        // An interrupt that came while nothing ran is not for this motion.
        _interrupt = false;
        kernelWatched ??= _watchpoints;
        if (_breakpoints.Count == 0 && extraBreakpoints.Count == 0 && _watchpoints.Count == 0 && (extraWatchpoints?.Count ?? 0) == 0 && kernelWatched.Count == 0)
        {
            // Nothing can stop a run: no window needs replaying (the present may be deep in a loop
            // with no event, where finding it again would stop at every turn).
            return GoToStart();
        }
        var end = _stop.Position;
        while (true)
        {
            if (end.IsBoundary && end.Event <= _startEvent)
            {
                return GoToStart();
            }
            var from = _snapshots.AtOrBefore(end.IsBoundary ? end.Event - 1 : end.Event);
            var found = LastInWindow(from, end, accept, extraBreakpoints, extraWatchpoints ?? [], kernelWatched);
            if (_interrupt)
            {
                // Paused during the search: the present has not moved.
                return SetStop(_stop with { Reason = StopReason.Arrived, Note = "paused" });
            }
            if (found != null)
            {
                GoTo(found.Position);
                return SetStop(found);
            }
            if (from.NextEvent == 0)
            {
                return GoToStart();
            }
            end = new Position(from.NextEvent, default, 0, IsBoundary: true);
        }
    }

    /// <summary>Runs a fork of <paramref name="from"/> up to <paramref name="end"/> and returns the last accepted stop on the way.</summary>
    private TimelineStop? LastInWindow(ReplaySession from, Position end, Func<TimelineStop, bool> accept, IReadOnlyCollection<RemotePtr> extraBreakpoints,
        IReadOnlyList<Watchpoint> extraWatchpoints, IReadOnlyList<Watchpoint> kernelWatched)
    {
        using var run = from.Fork();
        var breakpoints = new HashSet<RemotePtr>(_breakpoints);
        breakpoints.UnionWith(extraBreakpoints);
        if (end.IsBoundary)
        {
            run.SetBreakpoints(breakpoints);
        }
        else
        {
            // The present's own pc is armed first, so that it takes a debug register while one
            // is free: an int3 in code the program rewrites can be lost, and a window run that
            // does not see the present again would take stops after it for stops before it.
            breakpoints.Add(end.Pc);
            run.SetBreakpoints([]);
            run.SetBreakpoints([end.Pc, .. breakpoints.Where(a => a != end.Pc)]);
        }
        run.SetWatchpoints([.. _watchpoints, .. extraWatchpoints]);
        _running = run;
        try
        {
            return LastHit(run, end, accept, breakpoints, extraBreakpoints, kernelWatched);
        }
        finally
        {
            _running = null;
        }
    }

    private TimelineStop? LastHit(ReplaySession run, Position end, Func<TimelineStop, bool> accept, HashSet<RemotePtr> breakpoints,
        IReadOnlyCollection<RemotePtr> extraBreakpoints, IReadOnlyList<Watchpoint> kernelWatched)
    {
        TimelineStop? last = null;
        while (true)
        {
            var stop = run.Resume();
            if (Reached(end, run, stop) || _interrupt)
            {
                return last;
            }
            TimelineStop? candidate = stop.Kind switch
            {
                ReplayStopKind.Breakpoint when stop.Address != end.Pc || breakpoints.Contains(stop.Address) && (_breakpoints.Contains(stop.Address) || extraBreakpoints.Contains(stop.Address)) =>
                    new TimelineStop(StopReason.Breakpoint, PositionOf(run, false), stop.Address),
                ReplayStopKind.Watchpoint => new TimelineStop(StopReason.Watchpoint, PositionOf(run, false), stop.Address),
                ReplayStopKind.Event when KernelWrote(run, kernelWatched) is { } w =>
                    new TimelineStop(StopReason.Watchpoint, PositionOf(run, true), w.Address, WrittenBy: run.NextEvent - 1),
                _ => null,
            };
            // A watchpoint that fires where the present is, is the present itself, not before it.
            bool isPresent = candidate != null && !end.IsBoundary && end.Matches(candidate.Position.Event, candidate.Position.Registers, run);
            if (candidate != null && !isPresent && accept(candidate))
            {
                last = candidate;
            }
            if (stop.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace)
            {
                return last;
            }
        }
    }

    /// <summary>
    /// Whether a run of a copy of the replay has come to <paramref name="end"/> (a breakpoint on its
    /// pc must be set), or past it. A boundary is passed by any stop once its event is next: the
    /// events before it may be another process's, which stop nobody (a window that starts from a
    /// checkpoint of several processes ends at such a boundary), so the first stop after them is
    /// a breakpoint in the interval after the boundary, not before it.
    /// </summary>
    private static bool Reached(Position end, ReplaySession run, ReplayStop stop) =>
        end.IsBoundary ? run.NextEvent >= end.Event
        : run.NextEvent > end.Event || stop.Kind == ReplayStopKind.Breakpoint && stop.Address == end.Pc && end.Matches(run.NextEvent, run.Registers, run);

    /// <summary>
    /// The watched memory the syscall just reproduced wrote, if any: hardware watchpoints do not
    /// see the kernel's writes (nor replay's, which write them back through /proc/PID/mem).
    /// </summary>
    private static Watchpoint? KernelWrote(ReplaySession run, IReadOnlyList<Watchpoint> watched) =>
        watched.Count > 0 && run.Previous is SyscallEvent { Writes.Count: > 0 } s
            ? watched.FirstOrDefault(w => s.Writes.Any(x => w.Covers(x.Address, x.Data.Length))) is { Length: > 0 } hit ? hit : null
            : null;

    private static Position PositionOf(ReplaySession s, bool boundary)
    {
        var regs = s.Registers;
        return new Position(s.NextEvent, regs, StackDigest.Of(s, regs.Sp), boundary, s.Thread);
    }

    /// <summary>
    /// The instruction before the present: the last of the trail single-stepped from the boundary
    /// that starts the present's interval. A step back from where the previous one went takes the
    /// one before on the same trail, without stepping the interval again: stepping back out of a
    /// .NET call stub takes up to a few dozen step backs in a row, and each used to single-step
    /// the whole interval (33 k instructions of a worker thread, 2 s each).
    /// </summary>
    private TimelineStop StepBackward()
    {
        var now = _stop.Position;
        if (now.IsBoundary && now.Event <= _startEvent)
        {
            return GoToStart();
        }
        if (_stepTrail.Count == 0 || _stepTrailEnd != now)
        {
            StepTrailTo(now);
        }
        if (_stepTrail.Count == 0)
        {
            return GoToStart();
        }
        var previous = _stepTrail[^1];
        _stepTrail.RemoveAt(_stepTrail.Count - 1);
        _stepTrailEnd = previous;
        GoTo(previous);
        return SetStop(new TimelineStop(StopReason.Step, previous));
    }

    /// <summary>Single-steps from the boundary that starts <paramref name="now"/>'s interval to it, keeping the last positions before it.</summary>
    private void StepTrailTo(Position now)
    {
        _stepTrail.Clear();
        _stepTrailEnd = now;
        using var run = SessionAtBoundaryFromSnapshot(now.IsBoundary ? now.Event - 1 : now.Event);
        for (long steps = 0; ; steps++)
        {
            var here = PositionOf(run, steps == 0);
            if (here.Event > now.Event || now.Matches(run.NextEvent, here.Registers, run) && (steps > 0 || !now.IsBoundary || here.Event == now.Event))
            {
                return;
            }
            if (steps == MaxStepsBack || run.IsOver)
            {
                _stepTrail.Clear();
                throw new RewindException($"cannot step back: the present is more than {MaxStepsBack:N0} instructions into its interval");
            }
            if (_stepTrail.Count == 2 * StepTrailLength)
            {
                _stepTrail.RemoveRange(0, StepTrailLength);
            }
            _stepTrail.Add(here);
            run.Resume(step: true);
        }
    }

    /// <summary>A fork of the nearest snapshot, run to the boundary before <paramref name="eventIndex"/>; the live replay is left as it is.</summary>
    private ReplaySession SessionAtBoundaryFromSnapshot(long eventIndex)
    {
        var run = _snapshots.AtOrBefore(eventIndex).Fork();
        if (run.NextEvent < eventIndex)
        {
            while (run.NextEvent < eventIndex && !run.IsOver)
            {
                run.Resume();
            }
            // Stepping back again and again starts from this boundary: keep it.
            _snapshots.Take(run, eventIndex);
        }
        return run;
    }

    /// <summary>Makes <paramref name="target"/> the present: from the boundary before its event, a breakpoint on its pc, the first hit in its state.</summary>
    private void GoTo(Position target)
    {
        var session = SessionAtBoundary(target.Event);
        try
        {
            if (!target.IsBoundary)
            {
                session.SetBreakpoints([target.Pc]);
                while (true)
                {
                    var stop = session.Resume();
                    if (stop.Kind == ReplayStopKind.Breakpoint && target.Matches(session.NextEvent, session.Registers, session))
                    {
                        break;
                    }
                    if (session.NextEvent > target.Event || stop.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace)
                    {
                        throw new DivergenceException(target.Event, $"the replay did not pass {target} again");
                    }
                }
            }
        }
        catch
        {
            if (!ReferenceEquals(session, _live))
            {
                session.Dispose();
            }
            throw;
        }
        BecomeLive(session);
    }

    private TimelineStop GoToStart()
    {
        var session = _snapshots.AtOrBefore(0).Fork(Output);
        try
        {
            ToStart(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        BecomeLive(session);
        return SetStop(new TimelineStop(StopReason.StartOfTrace, Here(boundary: true)));
    }
}
