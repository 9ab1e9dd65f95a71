using System.Buffers.Binary;
using System.Text;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>Builds trace bytes by hand, so bounds tests can say exactly which field is wrong.</summary>
internal sealed class HandMadeTrace
{
    private readonly MemoryStream _bytes = new();

    public long Position => _bytes.Length;

    public static byte[] Prologue(ushort version = TraceFormat.CurrentVersion, string magic = "RWNDTRC\0")
    {
        var b = new byte[16];
        Encoding.ASCII.GetBytes(magic).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), version);
        return b;
    }

    /// <summary>A trace with a valid prologue and Header chunk, ready for more chunks.</summary>
    public static HandMadeTrace WithHeader()
    {
        var t = new HandMadeTrace();
        t.Add(Prologue());
        t.Chunk(ChunkKind.Header, 0, Encoding.UTF8.GetBytes(
            """{"formatVersion":1,"rewindVersion":"t","createdUtc":"2025-01-01T00:00:00Z","commandLine":["a"],"workingDirectory":"/","environment":[],"machine":{"hostname":"h","kernelRelease":"6.18","architecture":"x64","cpuModel":"m","cpuFlags":["sse2"],"pageSize":4096}}"""));
        return t;
    }

    public HandMadeTrace Add(ReadOnlySpan<byte> bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    /// <summary>A chunk with a correct checksum over whatever fields it is given.</summary>
    public HandMadeTrace Chunk(ChunkKind kind, ulong tag, byte[] payload, uint? rawLength = null, byte[]? frame = null)
    {
        if (frame is null)
        {
            var buffer = new byte[Lz4Frame.MaxCompressedLength(payload.Length)];
            frame = buffer.AsSpan(0, Lz4Frame.Compress(payload, buffer)).ToArray();
        }
        var header = new byte[24];
        ChunkHeader.Write(header, kind, tag, (int)(rawLength ?? (uint)payload.Length), frame);
        return Add(header).Add(frame);
    }

    /// <summary>A chunk header with arbitrary lengths and a checksum over the header alone.</summary>
    public HandMadeTrace RawChunkHeader(ChunkKind kind, uint rawLength, uint storedLength)
    {
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)kind);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), rawLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), storedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), Crc32C.Compute(header.AsSpan(0, 20)));
        return Add(header);
    }

    public HandMadeTrace Trailer(long indexOffset)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(b, indexOffset);
        "RWNDEND\0"u8.CopyTo(b.AsSpan(8));
        return Add(b);
    }

    public string SaveAs(string path)
    {
        File.WriteAllBytes(path, _bytes.ToArray());
        return path;
    }
}
