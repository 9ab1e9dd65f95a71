namespace Rewind.Symbols.Dwarf;

/// <summary>
/// One unit of .debug_info (DWARF 2 to 5): its header, and its DIE tree parsed on first use.
/// </summary>
internal sealed partial class DwarfUnit
{
    private const int MaxDies = 20_000_000;
    private const int MaxDepth = 1_000;

    private readonly object _gate = new();
    private Die? _root;
    private Die? _header;
    private Dictionary<ulong, Die>? _byOffset;

    public DwarfUnit(DwarfInfo info, ulong offset, ulong end, int version, byte unitType, int addressSize, int offsetSize, ulong abbrevOffset, ulong firstDie)
    {
        Info = info;
        Offset = offset;
        End = end;
        Version = version;
        UnitType = unitType;
        AddressSize = addressSize;
        OffsetSize = offsetSize;
        AbbrevOffset = abbrevOffset;
        FirstDie = firstDie;
    }

    public DwarfInfo Info { get; }
    public ulong Offset { get; }
    public ulong End { get; }
    public int Version { get; }
    public byte UnitType { get; }
    public int AddressSize { get; }
    public int OffsetSize { get; }
    public ulong AbbrevOffset { get; }
    public ulong FirstDie { get; }

    public ulong StrOffsetsBase { get; private set; }
    public ulong AddrBase { get; private set; }
    public ulong RnglistsBase { get; private set; }
    public ulong LoclistsBase { get; private set; }
    public ulong? RangesBase { get; private set; }

    /// <summary>The unit's base address (DW_AT_low_pc of the unit DIE), for ranges and location lists.</summary>
    public ulong BaseAddress { get; private set; }

    public Die Root
    {
        get
        {
            lock (_gate)
            {
                if (_root is null)
                    Parse();
                return _root!;
            }
        }
    }

    /// <summary>The unit DIE alone, read without the rest of the tree (for indexes of many units).</summary>
    public Die Header
    {
        get
        {
            lock (_gate)
            {
                if (_root is not null)
                    return _root;
                if (_header is null)
                {
                    var r = new SpanReader(Info.Sections.Info.Span[..(int)End]);
                    r.Seek(FirstDie);
                    ulong code = r.Uleb();
                    if (!Info.Abbreviations(AbbrevOffset).TryGetValue(code, out var abbrev))
                        throw new InvalidDataException($"unit DIE at 0x{FirstDie:x} uses undefined abbreviation {code}");
                    var attrs = new AttributeValue[abbrev.Attributes.Length];
                    for (int i = 0; i < attrs.Length; i++)
                        attrs[i] = ReadAttribute(ref r, abbrev.Attributes[i]);
                    _header = new Die(this, FirstDie, abbrev, null, attrs);
                    ReadBases(_header);
                }
                return _header;
            }
        }
    }

    public Die? DieAt(ulong offset)
    {
        _ = Root;
        return _byOffset!.GetValueOrDefault(offset);
    }

    public bool Contains(ulong infoOffset) => infoOffset >= Offset && infoOffset < End;

    private void Parse()
    {
        var section = Info.Sections.Info.Span;
        var abbrevs = Info.Abbreviations(AbbrevOffset);
        var r = new SpanReader(section[..(int)End]);
        r.Seek(FirstDie);
        var byOffset = new Dictionary<ulong, Die>();
        var stack = new Stack<Die>();
        Die? root = null;
        while (!r.AtEnd)
        {
            ulong offset = (ulong)r.Position;
            ulong code = r.Uleb();
            if (code == 0)
            {
                if (stack.Count == 0)
                    break; // padding after the root
                stack.Pop();
                if (stack.Count == 0)
                    break;
                continue;
            }
            if (!abbrevs.TryGetValue(code, out var abbrev))
                throw new InvalidDataException($"DIE at 0x{offset:x} uses undefined abbreviation {code}");
            if (byOffset.Count >= MaxDies)
                throw new InvalidDataException($"unit at 0x{Offset:x} has more than {MaxDies} DIEs");
            // Attributes are skipped now and decoded when the DIE is looked at.
            foreach (var spec in abbrev.Attributes)
                ReadAttribute(ref r, spec);
            var parent = stack.Count > 0 ? stack.Peek() : null;
            var die = new Die(this, offset, abbrev, parent);
            byOffset[offset] = die;
            if (parent is null)
            {
                if (root is not null)
                    break;
                root = die;
                ReadBases(die);
            }
            else
            {
                parent.AddChild(die);
            }
            if (abbrev.HasChildren)
            {
                if (stack.Count >= MaxDepth)
                    throw new InvalidDataException($"DIE nesting deeper than {MaxDepth} at 0x{offset:x}");
                stack.Push(die);
            }
            else if (parent is null)
            {
                break;
            }
        }
        _root = root ?? throw new InvalidDataException($"unit at 0x{Offset:x} has no DIE");
        _byOffset = byOffset;
    }

    private void ReadBases(Die root)
    {
        foreach (var a in root.Attributes)
        {
            switch (a.Name)
            {
                case DwAt.StrOffsetsBase: StrOffsetsBase = a.Value; break;
                case DwAt.AddrBase or DwAt.GnuAddrBase: AddrBase = a.Value; break;
                case DwAt.RnglistsBase: RnglistsBase = a.Value; break;
                case DwAt.GnuRangesBase: RangesBase = a.Value; break;
                case DwAt.LoclistsBase: LoclistsBase = a.Value; break;
            }
        }
        if (Version >= 5 && StrOffsetsBase == 0 && Info.Sections.StrOffsets.Length > 0 && root.Find(DwAt.StrOffsetsBase) is null)
            StrOffsetsBase = (ulong)(OffsetSize == 8 ? 16 : 8);
        // low_pc may be an addrx form, which needs AddrBase: read it after the bases.
        BaseAddress = Address(root, DwAt.LowPc) ?? 0;
    }

    /// <summary>Decodes the attributes of the DIE at <paramref name="offset"/> (after its abbreviation code).</summary>
    internal AttributeValue[] ReadAttributes(ulong offset, Abbreviation abbrev)
    {
        var r = new SpanReader(Info.Sections.Info.Span[..(int)End]);
        r.Seek(offset);
        r.Uleb();
        var attrs = new AttributeValue[abbrev.Attributes.Length];
        for (int i = 0; i < attrs.Length; i++)
            attrs[i] = ReadAttribute(ref r, abbrev.Attributes[i]);
        return attrs;
    }

    private AttributeValue ReadAttribute(ref SpanReader r, AttributeSpec spec)
    {
        ushort form = spec.Form;
        for (int indirections = 0; form == DwForm.Indirect; indirections++)
        {
            if (indirections > 4)
                throw new InvalidDataException($"DW_FORM_indirect chain at 0x{r.Position:x}");
            ulong f = r.Uleb();
            if (f > 0xffff)
                throw new InvalidDataException($"bad indirect form 0x{f:x} at 0x{r.Position:x}");
            form = (ushort)f;
        }
        ulong value = 0;
        int dataOffset = 0, dataLength = 0;
        switch (form)
        {
            case DwForm.Addr: value = r.Sized(AddressSize); break;
            case DwForm.Data1 or DwForm.Ref1 or DwForm.Flag or DwForm.Strx1 or DwForm.Addrx1: value = r.U8(); break;
            case DwForm.Data2 or DwForm.Ref2 or DwForm.Strx2 or DwForm.Addrx2: value = r.U16(); break;
            case DwForm.Strx3 or DwForm.Addrx3: value = r.U24(); break;
            case DwForm.Data4 or DwForm.Ref4 or DwForm.Strx4 or DwForm.Addrx4 or DwForm.RefSup4: value = r.U32(); break;
            case DwForm.Data8 or DwForm.Ref8 or DwForm.RefSig8 or DwForm.RefSup8: value = r.U64(); break;
            case DwForm.Data16:
                dataOffset = r.Position;
                dataLength = 16;
                r.Skip(16);
                break;
            case DwForm.Sdata: value = (ulong)r.Sleb(); break;
            case DwForm.Udata or DwForm.RefUdata or DwForm.Strx or DwForm.Addrx or DwForm.Loclistx or DwForm.Rnglistx
                or DwForm.GnuAddrIndex or DwForm.GnuStrIndex:
                value = r.Uleb();
                break;
            case DwForm.String:
                dataOffset = r.Position;
                r.CString();
                dataLength = r.Position - dataOffset - 1;
                break;
            case DwForm.Strp or DwForm.LineStrp or DwForm.SecOffset or DwForm.StrpSup or DwForm.GnuRefAlt or DwForm.GnuStrpAlt:
                value = r.Sized(OffsetSize);
                break;
            case DwForm.RefAddr: value = r.Sized(Version <= 2 ? AddressSize : OffsetSize); break;
            case DwForm.Block1: dataLength = r.U8(); goto block;
            case DwForm.Block2: dataLength = r.U16(); goto block;
            case DwForm.Block4: dataLength = checked((int)Math.Min(r.U32(), int.MaxValue)); goto block;
            case DwForm.Block or DwForm.Exprloc:
                dataLength = r.UlebCount(int.MaxValue, "block length");
            block:
                dataOffset = r.Position;
                r.Skip((ulong)dataLength);
                break;
            case DwForm.FlagPresent: value = 1; break;
            case DwForm.ImplicitConst: value = (ulong)spec.ImplicitConst; break;
            default:
                throw new InvalidDataException($"unknown attribute form 0x{form:x} at 0x{r.Position:x}");
        }
        if (form is DwForm.Ref1 or DwForm.Ref2 or DwForm.Ref4 or DwForm.Ref8 or DwForm.RefUdata)
            value += Offset;
        return new AttributeValue(spec.Name, form, value, dataOffset, dataLength);
    }
}
