using System.Buffers.Binary;

namespace Rewind.Trace;

/// <summary>
/// The 24-byte header in front of every chunk:
/// kind u32 @0, tag u64 @4, raw length u32 @12, stored length u32 @16, CRC-32C u32 @20.
/// The CRC covers bytes 0..20 of this header followed by the stored payload.
/// </summary>
internal readonly record struct ChunkHeader(ChunkKind Kind, ulong Tag, uint RawLength, uint StoredLength, uint Crc)
{
    public const int CoveredLength = 20;

    public static ChunkHeader Read(ReadOnlySpan<byte> b) => new(
        (ChunkKind)BinaryPrimitives.ReadUInt32LittleEndian(b),
        BinaryPrimitives.ReadUInt64LittleEndian(b[4..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[12..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
        BinaryPrimitives.ReadUInt32LittleEndian(b[20..]));

    /// <summary>Writes the header fields; the CRC is computed from them and <paramref name="stored"/>.</summary>
    public static void Write(Span<byte> b, ChunkKind kind, ulong tag, int rawLength, ReadOnlySpan<byte> stored)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)kind);
        BinaryPrimitives.WriteUInt64LittleEndian(b[4..], tag);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], (uint)rawLength);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], (uint)stored.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], CrcOf(b, stored));
    }

    /// <summary>The CRC of a chunk: of its header's first 20 bytes in <paramref name="header"/>, then its <paramref name="stored"/> payload.</summary>
    public static uint CrcOf(ReadOnlySpan<byte> header, ReadOnlySpan<byte> stored) =>
        Crc32C.Finish(Crc32C.Append(CrcOfHeader(header), stored));

    /// <summary>The CRC of a chunk so far, of its header alone: <see cref="Crc32C.Append"/> its payload to it, a piece at a time, then <see cref="Crc32C.Finish"/>.</summary>
    public static uint CrcOfHeader(ReadOnlySpan<byte> header) => Crc32C.Append(Crc32C.Seed, header[..CoveredLength]);

    /// <summary>
    /// Why these fields cannot describe a chunk that fits in <paramref name="available"/>
    /// bytes after the header, or null when they can. Checked before anything is allocated.
    /// </summary>
    public string? Problem(long available)
    {
        if (Kind == 0)
            return "kind 0 is not a chunk";
        if (RawLength > TraceFormat.MaxPayloadLength)
            return $"raw length {RawLength} exceeds the 1 GiB limit";
        if (StoredLength > TraceFormat.MaxStoredLength)
            return $"stored length {StoredLength} exceeds the limit of {TraceFormat.MaxStoredLength}";
        if (StoredLength > available)
            return null; // truncation, reported by the caller with the byte count
        if ((ulong)RawLength > (ulong)StoredLength * TraceFormat.MaxExpansion)
            return $"raw length {RawLength} is impossible for {StoredLength} stored bytes";
        return null;
    }

    public ChunkInfo ToInfo(long offset) => new(Kind, offset, (int)StoredLength, (int)RawLength, Tag);
}
