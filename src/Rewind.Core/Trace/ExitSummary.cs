namespace Rewind.Trace;

/// <summary>How the recorded process ended; null in a summary when the recording was cut short.</summary>
public sealed record ExitSummary(int Code, int Signal, bool CoreDumped);
