namespace Rewind.Trace;

public sealed partial class TraceReader
{
    /// <summary>
    /// Rebuilds the chunk list of a trace without a usable footer by walking the chunks from
    /// the start. It stops at the first chunk that is truncated or fails its checksum: a
    /// killed recorder can only have left a partial chunk at the end, and nothing after a
    /// damaged chunk can be trusted to be in step. Each step advances by at least one chunk
    /// header, so the walk ends. <paramref name="footerProblem"/> says why a footer that is
    /// present was not used.
    /// </summary>
    private void Recover(string? footerProblem)
    {
        var chunks = new List<ChunkInfo>();
        Span<byte> hb = stackalloc byte[TraceFormat.ChunkHeaderSize];
        long position = _firstChunk;
        string? stop = null;
        bool foundIndex = false;
        while (position < FileLength)
        {
            long remaining = FileLength - position;
            if (remaining < TraceFormat.ChunkHeaderSize || ReadAt(hb, position) < hb.Length)
            {
                stop = $"a partial chunk of {remaining} bytes was dropped";
                break;
            }
            ChunkHeader h = ChunkHeader.Read(hb);
            long available = remaining - TraceFormat.ChunkHeaderSize;
            string? problem = h.Problem(available) ?? (h.Kind == ChunkKind.Header ? "a second header chunk" : null);
            if (problem is null && h.StoredLength > available)
            {
                stop = $"a partial chunk of {remaining} bytes was dropped";
                break;
            }
            if (problem is null && !ChecksumMatches(hb, h, position))
                problem = "checksum mismatch";
            if (problem is not null)
            {
                stop = $"chunk {chunks.Count} at byte {position} is damaged: {problem}; the {remaining} bytes from there were dropped";
                break;
            }
            if (h.Kind == ChunkKind.Index)
            {
                // A complete trace whose trailer was lost: the chunks end here.
                foundIndex = true;
                break;
            }
            ChunkInfo info = h.ToInfo(position);
            chunks.Add(info);
            position = info.End;
        }
        _chunks = chunks;

        bool image = Header.Hibernation;
        string cause = (footerProblem, foundIndex) switch
        {
            (not null, _) => $"the footer is damaged ({footerProblem}); the chunks were recovered by scanning:",
            (null, true) => $"the footer is damaged (no valid trailer after the index at byte {position}); the chunks were recovered by scanning:",
            _ => image ? "writing the image was interrupted:" : "the recording was interrupted:",
        };
        string file = image ? "the image" : "the trace";
        string end = chunks.Count == 0
            ? $"{file} ends after its header at byte {position}"
            : $"{file} ends after chunk {chunks.Count - 1} at byte {position}";
        RecoveryNote = stop is null ? $"{cause} {end}" : $"{cause} {end} ({stop})";
    }
}
