namespace Rewind.Symbols;

/// <summary>One entry of an ELF section header table.</summary>
public sealed record ElfSection(
    int Index, string Name, uint Type, ulong Flags, ulong Address, ulong FileOffset, ulong Size, uint Link, uint Info, ulong EntrySize)
{
    public const uint SHT_NOBITS = 8;
    public const uint SHT_SYMTAB = 2;
    public const uint SHT_DYNSYM = 11;
    public const uint SHT_NOTE = 7;
    public const ulong SHF_ALLOC = 0x2;
    public const ulong SHF_EXECINSTR = 0x4;
    public const ulong SHF_COMPRESSED = 0x800;

    public bool IsExecutable => (Flags & SHF_EXECINSTR) != 0;
}
