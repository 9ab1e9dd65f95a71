using System.Buffers.Binary;
using System.Text;

namespace Rewind.Symbols;

/// <summary>
/// A little-endian cursor over bytes of an ELF or DWARF section. Every read checks its bounds
/// and throws <see cref="InvalidDataException"/> naming what it was reading: hostile input
/// ends in a clean error, never in an index exception or a loop.
/// </summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;

    public SpanReader(ReadOnlySpan<byte> data, int position = 0)
    {
        _data = data;
        if ((uint)position > (uint)data.Length)
            throw new InvalidDataException($"offset 0x{position:x} is past the end of the data (0x{data.Length:x} bytes)");
        Position = position;
    }

    public int Position { get; private set; }

    public readonly int Length => _data.Length;

    public readonly int Remaining => _data.Length - Position;

    public readonly bool AtEnd => Position >= _data.Length;

    public readonly ReadOnlySpan<byte> Data => _data;

    public void Seek(ulong position)
    {
        if (position > (ulong)_data.Length)
            throw new InvalidDataException($"offset 0x{position:x} is past the end of the data (0x{_data.Length:x} bytes)");
        Position = (int)position;
    }

    public void Skip(ulong count) => Seek((ulong)Position + count);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
            throw new InvalidDataException($"truncated: {count} bytes needed at offset 0x{Position:x}, {Remaining} left");
        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }

    public ReadOnlySpan<byte> Bytes(ulong count)
    {
        if (count > (ulong)Remaining)
            throw new InvalidDataException($"truncated: {count} bytes needed at offset 0x{Position:x}, {Remaining} left");
        return Take((int)count);
    }

    public byte U8() => Take(1)[0];

    public sbyte S8() => (sbyte)Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public short S16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public uint U24()
    {
        var b = Take(3);
        return (uint)(b[0] | (b[1] << 8) | (b[2] << 16));
    }

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public int S32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public long S64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>An unsigned value of 1, 2, 4 or 8 bytes (addresses, DWARF offsets).</summary>
    public ulong Sized(int size) => size switch
    {
        1 => U8(),
        2 => U16(),
        4 => U32(),
        8 => U64(),
        _ => throw new InvalidDataException($"unsupported value size {size}"),
    };

    public ulong Uleb()
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = U8();
            if (shift < 64)
                result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return result;
            if (shift > 630)
                throw new InvalidDataException($"LEB128 longer than 90 bytes at offset 0x{Position:x}");
        }
    }

    public long Sleb()
    {
        long result = 0;
        int shift = 0;
        byte b;
        do
        {
            b = U8();
            if (shift < 64)
                result |= (long)(b & 0x7f) << shift;
            shift += 7;
            if (shift > 637)
                throw new InvalidDataException($"LEB128 longer than 90 bytes at offset 0x{Position:x}");
        }
        while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0)
            result |= -1L << shift;
        return result;
    }

    /// <summary>A uleb that must fit an int below <paramref name="cap"/> (counts, indexes).</summary>
    public int UlebCount(int cap, string what)
    {
        ulong v = Uleb();
        if (v > (ulong)cap)
            throw new InvalidDataException($"{what} {v} exceeds the limit of {cap}");
        return (int)v;
    }

    public string CString()
    {
        int end = _data[Position..].IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"unterminated string at offset 0x{Position:x}");
        string s = Encoding.UTF8.GetString(_data.Slice(Position, end));
        Position += end + 1;
        return s;
    }

    public static string CStringAt(ReadOnlySpan<byte> data, ulong offset)
    {
        if (offset >= (ulong)data.Length)
            throw new InvalidDataException($"string offset 0x{offset:x} is outside its section (0x{data.Length:x} bytes)");
        var rest = data[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"unterminated string at offset 0x{offset:x}");
        return Encoding.UTF8.GetString(rest[..end]);
    }
}
