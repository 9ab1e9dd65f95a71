namespace Rewind.Symbols.Dwarf;

/// <summary>The units of one file's .debug_info, their abbreviations and cross-unit references.</summary>
internal sealed class DwarfInfo
{
    private const int MaxUnits = 1_000_000;

    private readonly Dictionary<ulong, Dictionary<ulong, Abbreviation>> _abbrevs = [];
    private readonly Dictionary<ulong, ulong> _typeUnits = [];

    public DwarfInfo(DwarfSections sections)
    {
        Sections = sections;
        Units = ReadUnitHeaders();
    }

    public DwarfSections Sections { get; }

    public IReadOnlyList<DwarfUnit> Units { get; }

    public Dictionary<ulong, Abbreviation> Abbreviations(ulong offset)
    {
        lock (_abbrevs)
        {
            if (!_abbrevs.TryGetValue(offset, out var table))
                _abbrevs[offset] = table = Abbreviation.ParseTable(Sections.Abbrev.Span, offset);
            return table;
        }
    }

    private List<DwarfUnit> ReadUnitHeaders()
    {
        var units = new List<DwarfUnit>();
        var r = new SpanReader(Sections.Info.Span);
        while (r.Remaining > 0)
        {
            if (units.Count >= MaxUnits)
                throw new InvalidDataException($"more than {MaxUnits} units in .debug_info");
            ulong offset = (ulong)r.Position;
            ulong length = r.U32();
            int offsetSize = 4;
            if (length == 0xffffffff)
            {
                length = r.U64();
                offsetSize = 8;
            }
            else if (length >= 0xfffffff0)
            {
                throw new InvalidDataException($"reserved unit length 0x{length:x} at 0x{offset:x}");
            }
            ulong end = (ulong)r.Position + length;
            if (end > (ulong)r.Length || length < 7)
                throw new InvalidDataException($"unit at 0x{offset:x} has length 0x{length:x}, beyond the end of .debug_info");
            int version = r.U16();
            if (version is < 2 or > 5)
                throw new InvalidDataException($"unit at 0x{offset:x} has unsupported DWARF version {version}");
            byte unitType = 1;
            ulong abbrevOffset;
            int addressSize;
            if (version >= 5)
            {
                unitType = r.U8();
                addressSize = r.U8();
                abbrevOffset = r.Sized(offsetSize);
                if (unitType is 2 or 6)
                {
                    // A type unit (DWARF 5 §7.5.1.2): DW_FORM_ref_sig8 names it by signature.
                    ulong signature = r.U64();
                    ulong typeOffset = r.Sized(offsetSize);
                    _typeUnits.TryAdd(signature, offset + typeOffset);
                }
                else if (unitType is 4 or 5)
                    r.Skip(8);
            }
            else
            {
                abbrevOffset = r.Sized(offsetSize);
                addressSize = r.U8();
            }
            if (addressSize is not (4 or 8))
                throw new InvalidDataException($"unit at 0x{offset:x} has address size {addressSize}");
            if ((ulong)r.Position > end)
                throw new InvalidDataException($"unit header at 0x{offset:x} is longer than the unit");
            units.Add(new DwarfUnit(this, offset, end, version, unitType, addressSize, offsetSize, abbrevOffset, (ulong)r.Position));
            r.Seek(end);
        }
        return units;
    }

    public DwarfUnit? UnitAt(ulong infoOffset)
    {
        int lo = 0, hi = Units.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var u = Units[mid];
            if (infoOffset < u.Offset)
                hi = mid - 1;
            else if (infoOffset >= u.End)
                lo = mid + 1;
            else
                return u;
        }
        return null;
    }

    public Die? DieAt(ulong infoOffset) => UnitAt(infoOffset)?.DieAt(infoOffset);

    /// <summary>The type DIE of the type unit with this signature, or null.</summary>
    public Die? TypeBySignature(ulong signature) =>
        _typeUnits.TryGetValue(signature, out ulong offset) ? DieAt(offset) : null;
}
