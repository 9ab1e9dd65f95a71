namespace Rewind.Symbols.Dwarf;

/// <summary>The DWARF sections of one ELF file (empty where absent).</summary>
internal sealed class DwarfSections
{
    public DwarfSections(ElfFile elf)
    {
        Name = elf.Name;
        Info = elf.SectionData(".debug_info");
        Abbrev = elf.SectionData(".debug_abbrev");
        Str = elf.SectionData(".debug_str");
        LineStr = elf.SectionData(".debug_line_str");
        Line = elf.SectionData(".debug_line");
        StrOffsets = elf.SectionData(".debug_str_offsets");
        Addr = elf.SectionData(".debug_addr");
        Ranges = elf.SectionData(".debug_ranges");
        Rnglists = elf.SectionData(".debug_rnglists");
        Loc = elf.SectionData(".debug_loc");
        Loclists = elf.SectionData(".debug_loclists");
    }

    public string Name { get; }
    public ReadOnlyMemory<byte> Info { get; }
    public ReadOnlyMemory<byte> Abbrev { get; }
    public ReadOnlyMemory<byte> Str { get; }
    public ReadOnlyMemory<byte> LineStr { get; }
    public ReadOnlyMemory<byte> Line { get; }
    public ReadOnlyMemory<byte> StrOffsets { get; }
    public ReadOnlyMemory<byte> Addr { get; }
    public ReadOnlyMemory<byte> Ranges { get; }
    public ReadOnlyMemory<byte> Rnglists { get; }
    public ReadOnlyMemory<byte> Loc { get; }
    public ReadOnlyMemory<byte> Loclists { get; }
}
