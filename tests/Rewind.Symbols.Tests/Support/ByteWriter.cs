using System.Buffers.Binary;
using System.Text;

namespace Rewind.Symbols.Tests.Support;

/// <summary>Builds little-endian bytes by hand, for the bounds tests' bad inputs.</summary>
internal sealed class ByteWriter
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public ByteWriter U8(params byte[] values)
    {
        _bytes.AddRange(values);
        return this;
    }

    public ByteWriter U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public ByteWriter U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public ByteWriter U64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public ByteWriter Uleb(ulong v)
    {
        do
        {
            byte b = (byte)(v & 0x7f);
            v >>= 7;
            _bytes.Add(v != 0 ? (byte)(b | 0x80) : b);
        }
        while (v != 0);
        return this;
    }

    public ByteWriter Sleb(long v)
    {
        while (true)
        {
            byte b = (byte)(v & 0x7f);
            v >>= 7;
            bool done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            _bytes.Add(done ? b : (byte)(b | 0x80));
            if (done)
                return this;
        }
    }

    public ByteWriter CString(string s)
    {
        _bytes.AddRange(Encoding.UTF8.GetBytes(s));
        _bytes.Add(0);
        return this;
    }

    public ByteWriter Bytes(byte[] b)
    {
        _bytes.AddRange(b);
        return this;
    }

    /// <summary>Overwrites a 32-bit value (a length patched in after the content is known).</summary>
    public ByteWriter PatchU32(int at, uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        for (int i = 0; i < 4; i++)
            _bytes[at + i] = b[i];
        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
