using Rewind.Dap.Session;
using Rewind.Timeline;
using StopReason = Rewind.Timeline.StopReason;
using SessionDirection = Rewind.Dap.Session.Direction;
using SessionStopReason = Rewind.Dap.Session.StopReason;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    private readonly Dictionary<long, Timeline.Position> _jumpTargets = [];

    public void Resume(SessionDirection direction) => Motion(() => Continue(direction));

    /// <summary>
    /// Continues until a stop a user wants: breakpoints whose condition holds and whose hit count
    /// is reached, logpoints print and go on, recorded non-fatal signals go on.
    /// </summary>
    private StopInfo Continue(SessionDirection direction)
    {
        while (true)
        {
            var stop = _timeline.Continue(Map(direction));
            if (_pauseRequested)
            {
                return Report(stop, SessionStopReason.Pause);
            }
            switch (stop.Reason)
            {
                case StopReason.Breakpoint:
                    if (BreakpointHit(stop) is { } hit)
                    {
                        return hit;
                    }
                    continue;
                case StopReason.Watchpoint:
                    if (DataBreakpointHit(stop) is { } data)
                    {
                        return data;
                    }
                    continue;
                case StopReason.Signal when stop.Signal == _timeline.Exit?.Signal:
                    return SignalStop(stop);
                case StopReason.Signal:
                    continue;
                case StopReason.StartOfTrace:
                    return Report(stop, SessionStopReason.StartOfTrace, "the start of the recording");
                case StopReason.EndOfTrace:
                    return Report(stop, SessionStopReason.EndOfTrace, EndDescription(stop));
                default:
                    return Report(stop, SessionStopReason.Step);
            }
        }
    }

    private string EndDescription(TimelineStop stop) => stop.Exit is { } exit
        ? exit.Signal != 0 ? $"the end of the recording: the program was killed by {Linux.Signal.Name(exit.Signal)}" : $"the end of the recording: the program exited with status {exit.Code}"
        : stop.Note ?? "the end of the recording";

    public void GoToEvent(long eventIndex) => Motion(() => Report(_timeline.RunToEvent(eventIndex), SessionStopReason.Goto));

    public void GoTo(JumpTargetId target) => Motion(() =>
    {
        if (!_jumpTargets.TryGetValue(target.Value, out var position))
        {
            throw new RewindException("that jump target is no longer valid; ask for the targets again");
        }
        return Report(_timeline.GoToPosition(position), SessionStopReason.Goto);
    });

    /// <summary>Every moment the line runs, found by scanning the trace up to the present and from it to the end.</summary>
    public IReadOnlyList<JumpTarget> GetJumpTargets(string sourcePath, int line) => _engine.Invoke(() =>
    {
        var addresses = _symbols.Modules.SelectMany(m => m.AddressesFor(sourcePath, line)).ToList();
        var found = new List<JumpTarget>();
        if (addresses.Count == 0)
        {
            return (IReadOnlyList<JumpTarget>)found;
        }
        var location = new SourceLocation(addresses[0].File, addresses[0].Line);
        _timeline.ScanHits(addresses.Select(a => a.Address).ToHashSet(), untilPresent: false, (_, position, _) =>
        {
            long id = _jumpTargets.Count + 1;
            _jumpTargets[id] = position;
            found.Add(new JumpTarget(new JumpTargetId(id), $"{System.IO.Path.GetFileName(location.Path)}:{location.Line} at event {position.Event:N0}", location, PositionOf(position)));
            return found.Count < 200;
        });
        return (IReadOnlyList<JumpTarget>)found;
    });
}
