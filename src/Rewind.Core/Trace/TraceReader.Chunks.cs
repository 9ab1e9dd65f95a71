using System.Buffers;
using Rewind.Linux;

namespace Rewind.Trace;

public sealed partial class TraceReader
{
    /// <summary>
    /// Reads, verifies and decompresses one chunk. Its lengths must already have passed
    /// <see cref="ChunkHeader.Problem"/>. Damage throws <see cref="InvalidDataException"/>
    /// with the reason; callers add which chunk it was.
    /// </summary>
    private byte[] ReadChunkPayload(ChunkInfo info)
    {
        byte[] raw = new byte[info.RawLength];
        ReadChunkPayload(info, raw);
        return raw;
    }

    private void ReadChunkPayload(ChunkInfo info, Span<byte> raw)
    {
        Span<byte> hb = stackalloc byte[TraceFormat.ChunkHeaderSize];
        ChunkHeader h = ReadIndexedHeader(info, hb);
        byte[] stored = ArrayPool<byte>.Shared.Rent(info.StoredLength);
        try
        {
            Span<byte> frame = stored.AsSpan(0, info.StoredLength);
            ReadExactly(frame, info.Offset + TraceFormat.ChunkHeaderSize);
            uint crc = ChunkHeader.CrcOf(hb, frame);
            if (crc != h.Crc)
                throw new InvalidDataException($"checksum mismatch (stored 0x{h.Crc:x8}, computed 0x{crc:x8})");
            Lz4Frame.Decompress(frame, raw);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }

    /// <summary>The header of chunk <paramref name="info"/>, read again into <paramref name="hb"/> and checked against the index.</summary>
    private ChunkHeader ReadIndexedHeader(ChunkInfo info, Span<byte> hb)
    {
        ReadExactly(hb, info.Offset);
        ChunkHeader h = ChunkHeader.Read(hb);
        if (h.ToInfo(info.Offset) != info)
            throw new InvalidDataException("its chunk header does not match the index");
        return h;
    }

    /// <summary>Verifies a chunk's checksum while streaming it, without keeping the payload.</summary>
    private bool ChecksumMatches(ReadOnlySpan<byte> headerBytes, ChunkHeader h, long offset)
    {
        uint state = Crc32C.Append(Crc32C.Seed, headerBytes[..ChunkHeader.CoveredLength]);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(h.StoredLength, 1 << 20));
        try
        {
            long position = offset + TraceFormat.ChunkHeaderSize;
            long left = h.StoredLength;
            while (left > 0)
            {
                Span<byte> part = buffer.AsSpan(0, (int)Math.Min(left, buffer.Length));
                ReadExactly(part, position);
                state = Crc32C.Append(state, part);
                position += part.Length;
                left -= part.Length;
            }
            return Crc32C.Finish(state) == h.Crc;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadExactly(Span<byte> buffer, long offset)
    {
        int n = ReadAt(buffer, offset);
        if (n < buffer.Length)
            throw new InvalidDataException($"the file ends at byte {offset + n}, inside it");
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the count.</summary>
    private int ReadAt(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_file, buffer[total..], offset + total);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }
}
