using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;

namespace Rewind.Dap.Handlers;

// Jumps in time: DAP's goto/gotoTargets (to the moments a line runs) and Rewind's
// rewind/gotoEvent and rewind/timeline.

public sealed class GotoTargetsHandler : RequestHandler<GotoTargetsArguments, GotoTargetsResponseBody>
{
    public override string Command => "gotoTargets";

    protected override JsonTypeInfo<GotoTargetsArguments> ArgumentsType => DapJsonContext.Default.GotoTargetsArguments;

    protected override JsonTypeInfo<GotoTargetsResponseBody> BodyType => DapJsonContext.Default.GotoTargetsResponseBody;

    protected override GotoTargetsResponseBody Handle(GotoTargetsArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var path = arguments.Source.Path ?? throw new DapException("gotoTargets needs a source with a path");
        context.JumpTargets.Clear();
        var targets = session.GetJumpTargets(path, context.FromClientLine(arguments.Line))
            .Select(t => new GotoTarget(
                context.JumpTargets.Add(t.Id),
                t.Label,
                context.ToClientLine(t.Location.Line),
                Column: context.ToClientColumn(t.Location.Column)))
            .ToList();
        return new GotoTargetsResponseBody(targets);
    }
}

public sealed class GotoHandler : RequestHandler<GotoArguments>
{
    public override string Command => "goto";

    protected override JsonTypeInfo<GotoArguments> ArgumentsType => DapJsonContext.Default.GotoArguments;

    protected override void Handle(GotoArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        if (!context.JumpTargets.TryGet(arguments.TargetId, out var target))
            throw new DapException($"unknown goto target {arguments.TargetId}: ask gotoTargets again");
        context.AfterResponse(() => session.GoTo(target));
    }
}

public sealed class GotoEventHandler : RequestHandler<GotoEventArguments>
{
    public override string Command => RewindCommands.GotoEvent;

    protected override JsonTypeInfo<GotoEventArguments> ArgumentsType => DapJsonContext.Default.GotoEventArguments;

    protected override void Handle(GotoEventArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var total = session.Position.TotalEvents;
        long target = (arguments.Event, arguments.Percent) switch
        {
            ({ } e, null) when e >= 0 && e <= total => e,
            ({ } e, null) => throw new DapException($"event {e} is outside the trace (0 to {total})"),
            (null, { } p) when p >= 0 && p <= 100 => (long)Math.Round(p / 100 * total),
            (null, { } p) => throw new DapException($"{p}% is not a percentage between 0 and 100"),
            _ => throw new DapException("give exactly one of 'event' and 'percent'"),
        };
        context.AfterResponse(() => session.GoToEvent(target));
    }
}

public sealed class TimelineHandler : RequestHandler<TimelineArguments, TimelineResponseBody>
{
    private const int DefaultMaxMarkers = 2000;

    public override string Command => RewindCommands.Timeline;

    protected override JsonTypeInfo<TimelineArguments> ArgumentsType => DapJsonContext.Default.TimelineArguments;

    protected override JsonTypeInfo<TimelineResponseBody> BodyType => DapJsonContext.Default.TimelineResponseBody;

    protected override TimelineResponseBody Handle(TimelineArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var max = arguments.MaxMarkers is int m && m > 0 ? m : DefaultMaxMarkers;
        var position = session.Position;
        var markers = session.GetTimeline(max)
            .Select(e => new TimelineMarker(ToDap(e.Kind), e.Event, e.Label, e.Thread?.Value, e.Detail))
            .ToList();
        return new TimelineResponseBody(position.TotalEvents, position.Event, markers);
    }

    private static string ToDap(Session.TimelineEntryKind kind) => kind switch
    {
        Session.TimelineEntryKind.Start => TimelineMarkerKinds.Start,
        Session.TimelineEntryKind.Exit => TimelineMarkerKinds.Exit,
        Session.TimelineEntryKind.Checkpoint => TimelineMarkerKinds.Checkpoint,
        Session.TimelineEntryKind.Signal => TimelineMarkerKinds.Signal,
        Session.TimelineEntryKind.Output => TimelineMarkerKinds.Output,
        Session.TimelineEntryKind.Thread => TimelineMarkerKinds.Thread,
        _ => TimelineMarkerKinds.Syscall,
    };
}
