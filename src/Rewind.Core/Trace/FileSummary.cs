namespace Rewind.Trace;

/// <summary>A file whose content the trace holds (mapped into memory by the program).</summary>
public sealed record FileSummary(string Path, string Blob, long Size);
