namespace Rewind.Recording;

/// <summary>How a recording ended.</summary>
/// <param name="Exit">How the program ended; null when recording stopped before it did.</param>
/// <param name="Error">Why recording stopped early (something not supported), else null.</param>
public sealed record RecordResult(Trace.ExitStatus? Exit, long Events, long TraceBytes, string? Error);
