using System.Buffers.Binary;
using System.Text;

namespace Rewind.Trace;

/// <summary>
/// Decoder matching <see cref="ByteWriter"/>. Every length is checked against what is left, so
/// hostile bytes end in a <see cref="TraceFormatException"/>, never a huge allocation or a loop.
/// </summary>
public sealed class ByteReader(ReadOnlyMemory<byte> data, string what)
{
    private int _position;

    public bool AtEnd => _position >= data.Length;

    public int Remaining => data.Length - _position;

    public byte Byte()
    {
        Need(1);
        return data.Span[_position++];
    }

    public ulong VarU()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = Byte();
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw Bad("a varint longer than 10 bytes");
    }

    public long VarS()
    {
        ulong v = VarU();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    public int VarInt(int max)
    {
        ulong v = VarU();
        return v <= (ulong)max ? (int)v : throw Bad($"a count of {v} (at most {max} allowed)");
    }

    public uint VarU32()
    {
        ulong v = VarU();
        return v <= uint.MaxValue ? (uint)v : throw Bad($"a 32-bit value of {v}");
    }

    public ulong U64()
    {
        Need(8);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(data.Span[_position..]);
        _position += 8;
        return v;
    }

    public byte[] Bytes()
    {
        int length = VarInt(Remaining);
        return Raw(length);
    }

    public byte[] Raw(int length)
    {
        Need(length);
        var bytes = data.Span.Slice(_position, length).ToArray();
        _position += length;
        return bytes;
    }

    /// <summary>A length-prefixed byte string as a slice of the payload, without copying it.</summary>
    public ReadOnlyMemory<byte> BytesSlice()
    {
        int length = VarInt(Remaining);
        Need(length);
        var slice = data.Slice(_position, length);
        _position += length;
        return slice;
    }

    public string String() => Encoding.UTF8.GetString(Bytes());

    private void Need(int n)
    {
        if (n < 0 || Remaining < n)
        {
            throw Bad("data that ends early");
        }
    }

    public TraceFormatException Bad(string detail) => new($"damaged {what}: {detail}");
}
