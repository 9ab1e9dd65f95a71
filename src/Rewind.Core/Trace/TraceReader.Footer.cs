namespace Rewind.Trace;

public sealed partial class TraceReader
{
    /// <summary>
    /// Loads the chunk list from the Index chunk named by the trailer. Returns null when the
    /// file simply has no trailer (an interrupted recording), or the reason a trailer that
    /// is there cannot be trusted; either way the caller falls back to scanning.
    /// </summary>
    private string? TryReadFooter()
    {
        long trailerAt = FileLength - TraceFormat.TrailerSize;
        if (trailerAt < _firstChunk + TraceFormat.ChunkHeaderSize)
            return null;
        Span<byte> trailer = stackalloc byte[TraceFormat.TrailerSize];
        if (ReadAt(trailer, trailerAt) < trailer.Length)
            return null;
        long? indexAt = TraceIndex.ReadTrailer(trailer);
        if (indexAt is null)
            return null;
        if (indexAt < _firstChunk || indexAt > trailerAt - TraceFormat.ChunkHeaderSize)
            return $"the trailer points at byte {indexAt}, outside the chunks";

        Span<byte> hb = stackalloc byte[TraceFormat.ChunkHeaderSize];
        ReadAt(hb, indexAt.Value);
        ChunkHeader h = ChunkHeader.Read(hb);
        long room = trailerAt - indexAt.Value - TraceFormat.ChunkHeaderSize;
        if (h.Kind != ChunkKind.Index)
            return $"the trailer points at byte {indexAt}, where no index chunk starts";
        if (h.Problem(room) is { } problem)
            return $"the index chunk is damaged: {problem}";
        if (h.StoredLength != room)
            return "the index chunk does not end where the trailer starts";
        try
        {
            byte[] index = ReadChunkPayload(h.ToInfo(indexAt.Value));
            (List<ChunkInfo> chunks, byte[] summary) = TraceIndex.Read(index, _firstChunk, indexAt.Value);
            _chunks = chunks;
            Summary = summary;
            IsComplete = true;
            return null;
        }
        catch (InvalidDataException e)
        {
            return $"the index chunk is damaged: {e.Message}";
        }
    }
}
