namespace Rewind.Trace;

/// <summary>
/// What the footer says about a finished recording, so `rewind info` need not read the events.
/// A trace without a footer gets the same summary by reading them (<see cref="TraceFile"/>).
/// </summary>
public sealed record TraceSummary(
    long EventCount,
    long DurationMicros,
    ExitSummary? Exit,
    IReadOnlyList<CheckpointSummary> Checkpoints,
    IReadOnlyList<FileSummary> Files,
    long RawBytes,
    string? EndNote);
