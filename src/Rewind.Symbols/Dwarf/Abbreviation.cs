namespace Rewind.Symbols.Dwarf;

/// <summary>One .debug_abbrev entry: the shape of a DIE.</summary>
internal sealed record Abbreviation(ulong Code, ushort Tag, bool HasChildren, AttributeSpec[] Attributes)
{
    private const int MaxAbbreviations = 1_000_000;
    private const int MaxAttributes = 512;

    /// <summary>Parses the abbreviation table at <paramref name="offset"/> up to its 0 terminator.</summary>
    public static Dictionary<ulong, Abbreviation> ParseTable(ReadOnlySpan<byte> section, ulong offset)
    {
        var table = new Dictionary<ulong, Abbreviation>();
        var r = new SpanReader(section);
        r.Seek(offset);
        var attrs = new List<AttributeSpec>();
        while (true)
        {
            ulong code = r.Uleb();
            if (code == 0)
                return table;
            if (table.Count >= MaxAbbreviations)
                throw new InvalidDataException($"abbreviation table at 0x{offset:x} has more than {MaxAbbreviations} entries");
            ulong tag = r.Uleb();
            if (tag > 0xffff)
                throw new InvalidDataException($"abbreviation {code} has bad tag 0x{tag:x}");
            bool children = r.U8() != 0;
            attrs.Clear();
            while (true)
            {
                ulong name = r.Uleb(), form = r.Uleb();
                if (name == 0 && form == 0)
                    break;
                if (attrs.Count >= MaxAttributes)
                    throw new InvalidDataException($"abbreviation {code} has more than {MaxAttributes} attributes");
                if (name > 0xffff || form > 0xffff)
                    throw new InvalidDataException($"abbreviation {code} has bad attribute 0x{name:x} form 0x{form:x}");
                long implicitConst = form == DwForm.ImplicitConst ? r.Sleb() : 0;
                attrs.Add(new AttributeSpec((ushort)name, (ushort)form, implicitConst));
            }
            if (!table.TryAdd(code, new Abbreviation(code, (ushort)tag, children, [.. attrs])))
                throw new InvalidDataException($"abbreviation code {code} is defined twice in the table at 0x{offset:x}");
        }
    }
}
