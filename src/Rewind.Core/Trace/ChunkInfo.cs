namespace Rewind.Trace;

/// <summary>
/// Where one chunk lives in the file. <paramref name="Offset"/> is the byte where its
/// chunk header starts; <paramref name="StoredLength"/> counts the LZ4 frame after that
/// header, <paramref name="RawLength"/> the decompressed payload. <paramref name="Tag"/>
/// is opaque to the container (the recorder gives it a meaning per kind).
/// </summary>
public readonly record struct ChunkInfo(ChunkKind Kind, long Offset, int StoredLength, int RawLength, ulong Tag)
{
    /// <summary>The first byte after this chunk.</summary>
    public long End => Offset + TraceFormat.ChunkHeaderSize + StoredLength;
}
