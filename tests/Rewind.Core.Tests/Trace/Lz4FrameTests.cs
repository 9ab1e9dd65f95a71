using System.Buffers.Binary;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

public sealed class Lz4FrameTests
{
    [Fact]
    public void Frame_header_carries_the_content_size()
    {
        // Checks our LZ4F_preferences_t layout against what liblz4 actually wrote.
        byte[] payload = TraceTestFiles.Payload(600_000, 1);
        var frame = new byte[Lz4Frame.MaxCompressedLength(payload.Length)];
        Lz4Frame.Compress(payload, frame);

        Assert.Equal(0x184D2204u, BinaryPrimitives.ReadUInt32LittleEndian(frame)); // LZ4 frame magic
        // liblz4 shrinks the block size and unlinks blocks for a one-block frame by itself,
        // so the payload spans several 256 KiB blocks.
        Assert.Equal(0x48, frame[4]); // FLG: version 01, linked blocks, content size, no content checksum
        Assert.Equal(0x50, frame[5]); // BD: 256 KiB blocks
        Assert.Equal(600_000ul, BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(6)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300_000)]
    public void Round_trip(int length)
    {
        byte[] payload = TraceTestFiles.Payload(length, length);
        var frame = new byte[Lz4Frame.MaxCompressedLength(length)];
        int stored = Lz4Frame.Compress(payload, frame);
        var back = new byte[length];
        Lz4Frame.Decompress(frame.AsSpan(0, stored), back);
        Assert.Equal(payload, back);
    }

    [Fact]
    public void Trailing_bytes_after_the_frame_are_refused()
    {
        var frame = new byte[Lz4Frame.MaxCompressedLength(10) + 1];
        int stored = Lz4Frame.Compress(new byte[10], frame);
        var e = Assert.Throws<InvalidDataException>(() => Lz4Frame.Decompress(frame.AsSpan(0, stored + 1), new byte[10]));
        Assert.Equal("lz4: 1 bytes follow the end of the frame", e.Message);
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        // The check value of CRC-32C for "123456789" (RFC 3720, and every CRC catalogue).
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(
            Crc32C.Compute("123456789"u8),
            Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Seed, "12345"u8), "6789"u8)));
    }
}
