namespace Rewind.Symbols;

/// <summary>DW_ATE_* base type encodings (DWARF 5 §5.1.1).</summary>
public static class DwarfEncoding
{
    public const int Address = 0x1, Boolean = 0x2, ComplexFloat = 0x3, Float = 0x4, Signed = 0x5, SignedChar = 0x6,
        Unsigned = 0x7, UnsignedChar = 0x8, Utf = 0x10;
}
