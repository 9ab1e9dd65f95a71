using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Rewind.Trace;

/// <summary>Little-endian, LEB128-varint encoder for trace payloads (docs/trace-format.md).</summary>
public sealed class ByteWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void Clear() => _buffer.ResetWrittenCount();

    public void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void VarU(ulong value) => _buffer.Advance(VarU(_buffer.GetSpan(MaxVarULength), value));

    /// <summary>The most bytes <see cref="VarU(ulong)"/> writes.</summary>
    public const int MaxVarULength = 10;

    /// <summary>Writes <paramref name="value"/> as a varint at the start of <paramref name="into"/>; returns its length.</summary>
    public static int VarU(Span<byte> into, ulong value)
    {
        int n = 0;
        while (value >= 0x80)
        {
            into[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        into[n++] = (byte)value;
        return n;
    }

    /// <summary>Signed varint, zig-zag encoded so small negative numbers (errnos) stay small.</summary>
    public void VarS(long value) => VarU((ulong)((value << 1) ^ (value >> 63)));

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Bytes(ReadOnlySpan<byte> data)
    {
        VarU((ulong)data.Length);
        Raw(data);
    }

    public void Raw(ReadOnlySpan<byte> data) => _buffer.Write(data);

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));
}
