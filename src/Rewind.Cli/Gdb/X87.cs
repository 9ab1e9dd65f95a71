using System.Buffers.Binary;

namespace Rewind.Cli.Gdb;

/// <summary>
/// FXSAVE keeps an abridged tag word (one "not empty" bit per physical register); gdb shows the
/// full i387 one (two bits: valid, zero, special, empty), recomputed from the register values
/// as gdb's own i387_supply_fxsave does.
/// </summary>
internal static class X87
{
    public static uint FullTagWord(ReadOnlySpan<byte> fxsave)
    {
        int top = (BinaryPrimitives.ReadUInt16LittleEndian(fxsave[2..]) >> 11) & 7;
        byte abridged = fxsave[4];
        uint tags = 0;
        for (int physical = 7; physical >= 0; physical--)
        {
            uint tag = 3;
            if ((abridged & (1 << physical)) != 0)
            {
                // FXSAVE stores registers in stack order: st(i) is physical register (top + i) mod 8.
                int st = (physical + 8 - top) % 8;
                tag = Tag(fxsave.Slice(32 + 16 * st, 10));
            }
            tags |= tag << (2 * physical);
        }
        return tags;
    }

    private static uint Tag(ReadOnlySpan<byte> raw)
    {
        bool integer = (raw[7] & 0x80) != 0;
        int exponent = ((raw[9] & 0x7f) << 8) | raw[8];
        uint low = BinaryPrimitives.ReadUInt32LittleEndian(raw);
        uint high = BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]) & 0x7fffffff;
        if (exponent == 0x7fff)
        {
            return 2;
        }
        if (exponent == 0)
        {
            return low == 0 && high == 0 && !integer ? 1u : 2u;
        }
        return integer ? 0u : 2u;
    }
}
