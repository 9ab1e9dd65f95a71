namespace Rewind.Dap.Session;

/// <summary>Where the replay stands: <c>Event</c> events of <c>TotalEvents</c> have happened.</summary>
public readonly record struct TimelinePosition(long Event, long TotalEvents)
{
    /// <summary>The position as a percentage of the trace, 0 to 100.</summary>
    public double Percent => TotalEvents <= 0 ? 0 : Math.Clamp(100.0 * Event / TotalEvents, 0, 100);
}

public enum TimelineEntryKind
{
    Start,
    Exit,
    Checkpoint,
    Signal,
    Output,
    Thread,
    Syscall,
}

/// <summary>A point of interest in the trace, for the timeline view.</summary>
public sealed record TimelineEntry(TimelineEntryKind Kind, long Event, string Label, Tid? Thread = null, string? Detail = null);

/// <summary>A moment where a source line runs, to jump there.</summary>
public sealed record JumpTarget(JumpTargetId Id, string Label, SourceLocation Location, TimelinePosition At);
