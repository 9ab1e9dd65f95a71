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

/// <summary>How the recorded process ended; null in a summary when the recording was cut short.</summary>
public sealed record ExitSummary(int Code, int Signal, bool CoreDumped);

/// <summary>A file whose content the trace holds (mapped into memory by the program).</summary>
public sealed record FileSummary(string Path, string Blob, long Size);
