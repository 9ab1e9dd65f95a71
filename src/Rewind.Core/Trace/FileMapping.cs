namespace Rewind.Trace;

/// <summary>A file mapped into memory: its content is the blob, deduplicated by content.</summary>
public sealed record FileMapping(string Path, BlobId Blob, ulong FileOffset, ulong FileSize);
