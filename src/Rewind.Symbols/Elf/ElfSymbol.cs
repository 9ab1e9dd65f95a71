namespace Rewind.Symbols;

/// <summary>One ELF symbol (.symtab or .dynsym); <see cref="Value"/> is unrelocated.</summary>
public sealed record ElfSymbol(string Name, ulong Value, ulong Size, byte Info, ushort SectionIndex)
{
    public const byte STT_OBJECT = 1;
    public const byte STT_FUNC = 2;
    public const byte STT_GNU_IFUNC = 10;

    public byte Kind => (byte)(Info & 0xf);

    public byte Binding => (byte)(Info >> 4);

    public bool IsFunction => Kind is STT_FUNC or STT_GNU_IFUNC;
}
