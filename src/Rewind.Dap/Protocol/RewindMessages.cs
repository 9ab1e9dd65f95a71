namespace Rewind.Dap.Protocol;

// Rewind's own requests and events, for the VS Code extension (documented in docs/dap.md).
// Their names carry a "rewind/" prefix so they can never collide with a future DAP command.

public static class RewindCommands
{
    public const string Timeline = "rewind/timeline";
    public const string GotoEvent = "rewind/gotoEvent";
    public const string ReverseNext = "rewind/reverseNext";
    public const string ReverseStepOut = "rewind/reverseStepOut";
}

public static class RewindEvents
{
    public const string Position = "rewind/position";
}

/// <summary>Arguments of <c>rewind/timeline</c>: at most <c>MaxMarkers</c> markers, spread over the trace.</summary>
public sealed record TimelineArguments(int? MaxMarkers = null);

public sealed record TimelineResponseBody(
    long TotalEvents,
    long CurrentEvent,
    IReadOnlyList<TimelineMarker> Markers);

/// <summary>One point of interest in the trace; <c>Kind</c> is one of <see cref="TimelineMarkerKinds"/>.</summary>
public sealed record TimelineMarker(
    string Kind,
    long Event,
    string Label,
    int? ThreadId = null,
    string? Detail = null);

public static class TimelineMarkerKinds
{
    public const string Start = "start";
    public const string Exit = "exit";
    public const string Checkpoint = "checkpoint";
    public const string Signal = "signal";
    public const string Output = "output";
    public const string Thread = "thread";
    public const string Syscall = "syscall";
}

/// <summary>Arguments of <c>rewind/gotoEvent</c>: exactly one of <c>Event</c> (an index) and <c>Percent</c> (0–100).</summary>
public sealed record GotoEventArguments(long? Event = null, double? Percent = null, int? ThreadId = null);

/// <summary>Body of the <c>rewind/position</c> event, sent after every stop.</summary>
public sealed record PositionEventBody(long Event, long TotalEvents, double Percent, int? ThreadId = null);
