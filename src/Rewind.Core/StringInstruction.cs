namespace Rewind;

/// <summary>
/// A string instruction with a rep prefix (rep movs, rep stos, repe cmps…): the CPU can stop
/// between its iterations with the pc still on it, so the pc and registers there name a place
/// a breakpoint on the pc cannot find again without stopping at every iteration.
/// </summary>
public static class StringInstruction
{
    public static bool IsRepeatedAt(IMemoryReader memory, RemotePtr pc)
    {
        Span<byte> code = stackalloc byte[15];
        int n = memory.Read(pc, code);
        bool rep = false;
        for (int i = 0; i < n; i++)
        {
            byte b = code[i];
            switch (b)
            {
                case 0xf2 or 0xf3:
                    rep = true;
                    break;
                // Operand and address size, segment overrides, lock, REX.
                case 0x66 or 0x67 or 0x2e or 0x36 or 0x3e or 0x26 or 0x64 or 0x65 or 0xf0 or >= 0x40 and <= 0x4f:
                    break;
                default:
                    // ins, outs, movs, cmps, stos, lods, scas.
                    return rep && b is >= 0x6c and <= 0x6f or >= 0xa4 and <= 0xa7 or >= 0xaa and <= 0xaf;
            }
        }
        return false;
    }
}
