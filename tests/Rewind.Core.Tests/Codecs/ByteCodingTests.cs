using Rewind.Trace;

namespace Rewind.Core.Tests.Codecs;

/// <summary>LEB128 varints and zig-zag signed varints, as docs/trace-format.md defines them.</summary>
public sealed class ByteCodingTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(1UL, "01")]
    [InlineData(0x7fUL, "7F")]
    [InlineData(0x80UL, "8001")]
    [InlineData(0x3fffUL, "FF7F")]
    [InlineData(0x4000UL, "808001")]
    [InlineData(uint.MaxValue, "FFFFFFFF0F")]
    [InlineData(1UL << 63, "80808080808080808001")]
    [InlineData(ulong.MaxValue, "FFFFFFFFFFFFFFFFFF01")]
    public void Unsigned_varint_bytes(ulong value, string hex)
    {
        byte[] bytes = BadBytes.Encode(w => w.VarU(value));
        Assert.Equal(hex, Convert.ToHexString(bytes));
        var r = new ByteReader(bytes, "varint");
        Assert.Equal(value, r.VarU());
        Assert.True(r.AtEnd);
    }

    [Theory]
    [InlineData(0L, 0UL)]
    [InlineData(-1L, 1UL)]
    [InlineData(1L, 2UL)]
    [InlineData(-2L, 3UL)]
    [InlineData(-4095L, 8189UL)]
    [InlineData(long.MaxValue, ulong.MaxValue - 1)]
    [InlineData(long.MinValue, ulong.MaxValue)]
    public void Zigzag_maps_small_magnitudes_to_small_numbers(long value, ulong zigzag)
    {
        Assert.Equal(BadBytes.Encode(w => w.VarU(zigzag)), BadBytes.Encode(w => w.VarS(value)));
        Assert.Equal(value, new ByteReader(BadBytes.Encode(w => w.VarS(value)), "zigzag").VarS());
    }

    [Fact]
    public void Every_power_of_two_boundary_round_trips()
    {
        var w = new ByteWriter();
        var values = new List<ulong>();
        for (int bit = 0; bit < 64; bit++)
        {
            ulong p = 1UL << bit;
            values.AddRange([p - 1, p, p + 1]);
        }
        foreach (ulong v in values)
        {
            w.VarU(v);
            w.VarS((long)v);
            w.VarS(-(long)v);
        }
        var r = new ByteReader(w.WrittenSpan.ToArray(), "values");
        foreach (ulong v in values)
        {
            Assert.Equal(v, r.VarU());
            Assert.Equal((long)v, r.VarS());
            Assert.Equal(-(long)v, r.VarS());
        }
        Assert.True(r.AtEnd);
    }

    [Fact]
    public void Eleven_byte_varint_is_refused()
    {
        byte[] bytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        BadBytes.Rejected(bytes, r => r.VarU());
        BadBytes.Rejected(bytes, r => r.VarS());
    }

    [Fact]
    public void Varint_with_continuation_at_the_end_is_refused() => BadBytes.Rejected(new byte[] { 0xff, 0xff }, r => r.VarU());

    [Fact]
    public void Overlong_encodings_of_small_values_are_read()
    {
        // A non-minimal encoding is still unambiguous; the reader accepts it up to 10 bytes.
        Assert.Equal(1UL, new ByteReader(new byte[] { 0x81, 0x80, 0x80, 0x00 }, "v").VarU());
        Assert.Equal(0UL, new ByteReader(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "v").VarU());
    }

    [Theory]
    [InlineData(10UL, 10, true)]
    [InlineData(11UL, 10, false)]
    [InlineData((ulong)int.MaxValue, int.MaxValue, true)]
    [InlineData((ulong)int.MaxValue + 1, int.MaxValue, false)]
    [InlineData(ulong.MaxValue, int.MaxValue, false)]
    public void VarInt_enforces_its_cap(ulong value, int max, bool allowed)
    {
        byte[] bytes = BadBytes.Encode(w => w.VarU(value));
        if (allowed)
            Assert.Equal((int)value, new ByteReader(bytes, "count").VarInt(max));
        else
            Assert.Contains($"a count of {value}", BadBytes.Rejected(bytes, r => r.VarInt(max)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_strings_and_fixed_fields_round_trip()
    {
        var w = new ByteWriter();
        w.Bytes([]);
        w.Bytes([1, 2, 3]);
        w.String("");
        w.String("héllo wörld ✓");
        w.U64(ulong.MaxValue);
        w.U64(0x0102030405060708);
        w.Byte(0xff);
        byte[] bytes = w.WrittenSpan.ToArray();
        Assert.Equal(bytes.Length, w.Length);
        var r = new ByteReader(bytes, "fields");
        Assert.Empty(r.Bytes());
        Assert.Equal([1, 2, 3], r.Bytes());
        Assert.Equal("", r.String());
        Assert.Equal("héllo wörld ✓", r.String());
        Assert.Equal(ulong.MaxValue, r.U64());
        Assert.Equal(0x0102030405060708UL, r.U64());
        Assert.Equal(0xff, r.Byte());
        Assert.True(r.AtEnd);
        Assert.Equal(0, r.Remaining);
        // Little-endian on the wire.
        Assert.Equal("0807060504030201", Convert.ToHexString(bytes.AsSpan(bytes.Length - 9, 8)));
    }

    [Fact]
    public void Length_prefix_larger_than_the_rest_is_refused()
    {
        BadBytes.Rejected(BadBytes.Encode(w => { w.VarU(4); w.Raw([1, 2, 3]); }), r => r.Bytes());
        BadBytes.Rejected(BadBytes.Encode(w => w.VarU(ulong.MaxValue)), r => r.String());
        BadBytes.Rejected(new byte[7], r => r.U64());
        BadBytes.Rejected(Array.Empty<byte>(), r => r.Byte());
        BadBytes.Rejected(new byte[3], r => r.Raw(4));
        BadBytes.Rejected(new byte[3], r => r.Raw(-1));
    }

    [Fact]
    public void Clear_starts_the_writer_over()
    {
        var w = new ByteWriter();
        w.VarU(ulong.MaxValue);
        w.Clear();
        Assert.Equal(0, w.Length);
        w.Byte(7);
        Assert.Equal([7], w.WrittenSpan.ToArray());
    }
}
