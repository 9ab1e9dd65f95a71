namespace Rewind.Recording;

/// <summary>How far a recording has come, for a progress line.</summary>
public readonly record struct RecordProgress(long Events, long TraceBytes, TimeSpan Elapsed);
