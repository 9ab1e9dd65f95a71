namespace Rewind.Symbols;

public sealed partial class ElfFile
{
    private const int MaxSymbols = 10_000_000;

    /// <summary>The symbols of .symtab and .dynsym (both: a stripped file keeps only .dynsym).</summary>
    public IReadOnlyList<ElfSymbol> Symbols
    {
        get
        {
            if (_symbols is null)
            {
                var list = new List<ElfSymbol>();
                try
                {
                    foreach (var s in Sections)
                        if (s.Type is ElfSection.SHT_SYMTAB or ElfSection.SHT_DYNSYM)
                            ReadSymbols(s, list);
                }
                catch (InvalidDataException e)
                {
                    throw new DebugInfoException($"{Name}: bad symbol table: {e.Message}", e);
                }
                _symbols = list;
            }
            return _symbols;
        }
    }

    private void ReadSymbols(ElfSection table, List<ElfSymbol> into)
    {
        if (table.Link >= Sections.Count)
            throw new InvalidDataException($"symbol table {table.Name} links to missing section {table.Link}");
        var strings = SectionData(Sections[(int)table.Link]).Span;
        var data = SectionData(table).Span;
        ulong count = (ulong)data.Length / 24;
        if (count + (ulong)into.Count > MaxSymbols)
            throw new InvalidDataException($"symbol count {count} exceeds the limit of {MaxSymbols}");
        var r = new SpanReader(data);
        for (ulong i = 0; i < count; i++)
        {
            uint name = r.U32();
            byte info = r.U8();
            r.U8();
            ushort shndx = r.U16();
            ulong value = r.U64(), size = r.U64();
            if (name == 0)
                continue;
            into.Add(new ElfSymbol(SpanReader.CStringAt(strings, name), value, size, info, shndx));
        }
    }

    /// <summary>The GNU build-id as lowercase hex, or null.</summary>
    public string? BuildId
    {
        get
        {
            foreach (var note in Notes())
                if (note.Owner == "GNU" && note.Type == ElfNote.NT_GNU_BUILD_ID)
                    return Convert.ToHexStringLower(note.Descriptor.Span);
            return null;
        }
    }

    /// <summary>The file name in .gnu_debuglink, or null.</summary>
    public string? DebugLink
    {
        get
        {
            var data = SectionData(".gnu_debuglink");
            if (data.IsEmpty)
                return null;
            try
            {
                return SpanReader.CStringAt(data.Span, 0);
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }
    }

    /// <summary>Notes from SHT_NOTE sections, or from PT_NOTE segments when there are no sections (cores).</summary>
    public List<ElfNote> Notes()
    {
        var notes = new List<ElfNote>();
        try
        {
            bool any = false;
            foreach (var s in Sections)
                if (s.Type == ElfSection.SHT_NOTE)
                {
                    any = true;
                    notes.AddRange(ElfNote.ParseAll(SectionData(s)));
                }
            if (!any)
                foreach (var p in Segments)
                    if (p.Type == ElfSegment.PT_NOTE)
                        notes.AddRange(ElfNote.ParseAll(Slice(p.FileOffset, p.FileSize, "note segment")));
        }
        catch (InvalidDataException e)
        {
            throw new DebugInfoException($"{Name}: bad note: {e.Message}", e);
        }
        return notes;
    }
}
