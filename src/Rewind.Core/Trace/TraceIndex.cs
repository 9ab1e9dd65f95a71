using System.Buffers.Binary;

namespace Rewind.Trace;

/// <summary>
/// The payload of the Index chunk and the trailer that points at it.
/// Index (raw): entry count u32, entry size u32 (32), entries, summary length u32, summary.
/// Entry: offset u64 @0, tag u64 @8, kind u32 @16, raw length u32 @20, stored length u32 @24, zero u32 @28.
/// Trailer (last 16 bytes of the file): index chunk offset u64, "RWNDEND\0".
/// </summary>
internal static class TraceIndex
{
    private const int EntrySize = 32;
    private const int FixedSize = 12;

    public static int PayloadLength(int chunkCount, int summaryLength) =>
        checked(FixedSize + (chunkCount * EntrySize) + summaryLength);

    public static void Write(Span<byte> b, IReadOnlyList<ChunkInfo> chunks, ReadOnlySpan<byte> summary)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)chunks.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], EntrySize);
        Span<byte> e = b[8..];
        foreach (ChunkInfo c in chunks)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(e, (ulong)c.Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(e[8..], c.Tag);
            BinaryPrimitives.WriteUInt32LittleEndian(e[16..], (uint)c.Kind);
            BinaryPrimitives.WriteUInt32LittleEndian(e[20..], (uint)c.RawLength);
            BinaryPrimitives.WriteUInt32LittleEndian(e[24..], (uint)c.StoredLength);
            BinaryPrimitives.WriteUInt32LittleEndian(e[28..], 0);
            e = e[EntrySize..];
        }
        BinaryPrimitives.WriteUInt32LittleEndian(e, (uint)summary.Length);
        summary.CopyTo(e[4..]);
    }

    /// <summary>
    /// Parses an index whose chunks must lie, in order and without overlap, between
    /// <paramref name="firstChunk"/> and <paramref name="indexOffset"/>. Throws
    /// <see cref="InvalidDataException"/> with the reason when it does not hold together.
    /// </summary>
    public static (List<ChunkInfo> Chunks, byte[] Summary) Read(ReadOnlySpan<byte> b, long firstChunk, long indexOffset)
    {
        if (b.Length < FixedSize)
            throw new InvalidDataException($"index of {b.Length} bytes is too short");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(b);
        uint entrySize = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        if (entrySize != EntrySize)
            throw new InvalidDataException($"index entry size {entrySize}, expected {EntrySize}");
        long entriesEnd = 8 + ((long)count * EntrySize);
        if (entriesEnd + 4 > b.Length)
            throw new InvalidDataException($"index claims {count} entries but holds {b.Length} bytes");
        uint summaryLength = BinaryPrimitives.ReadUInt32LittleEndian(b[(int)entriesEnd..]);
        if (entriesEnd + 4 + summaryLength != b.Length)
            throw new InvalidDataException($"index summary length {summaryLength} does not match the index size");

        var chunks = new List<ChunkInfo>((int)count);
        long next = firstChunk;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> e = b.Slice(8 + (i * EntrySize), EntrySize);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var header = new ChunkHeader(
                (ChunkKind)BinaryPrimitives.ReadUInt32LittleEndian(e[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(e[8..]),
                BinaryPrimitives.ReadUInt32LittleEndian(e[20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(e[24..]),
                0);
            if (offset < (ulong)next || offset > (ulong)indexOffset)
                throw new InvalidDataException($"index entry {i} points at byte {offset}, outside {next}..{indexOffset}");
            long room = indexOffset - (long)offset - TraceFormat.ChunkHeaderSize;
            string? problem = header.Problem(room) ?? (header.StoredLength > room ? "it overlaps the index" : null);
            if (problem is not null)
                throw new InvalidDataException($"index entry {i}: {problem}");
            ChunkInfo info = header.ToInfo((long)offset);
            chunks.Add(info);
            next = info.End;
        }
        return (chunks, b[(int)(entriesEnd + 4)..].ToArray());
    }

    public static void WriteTrailer(Span<byte> b, long indexOffset)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)indexOffset);
        TraceFormat.EndMagic.CopyTo(b[8..]);
    }

    /// <summary>The index offset the trailer names, or null when these bytes are no trailer.</summary>
    public static long? ReadTrailer(ReadOnlySpan<byte> b)
    {
        if (!b[8..].SequenceEqual(TraceFormat.EndMagic))
            return null;
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(b);
        return offset > long.MaxValue ? -1 : (long)offset;
    }
}
