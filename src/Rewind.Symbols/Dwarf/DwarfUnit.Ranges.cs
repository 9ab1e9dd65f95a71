namespace Rewind.Symbols.Dwarf;

internal sealed partial class DwarfUnit
{
    private const int MaxListEntries = 1_000_000;

    /// <summary>The address ranges [start, end) of a DIE: low_pc/high_pc or DW_AT_ranges.</summary>
    public List<AddressRange> Ranges(Die die)
    {
        var list = new List<AddressRange>();
        if (Address(die, DwAt.LowPc) is { } low)
        {
            var high = die.Find(DwAt.HighPc);
            if (high is { } h)
            {
                ulong end = h.Form == DwForm.Addr || h.Form is >= DwForm.Addrx1 and <= DwForm.Addrx4 || h.Form == DwForm.Addrx
                    ? Address(die, DwAt.HighPc) ?? low
                    : low + h.Value;
                if (end > low)
                    list.Add(new AddressRange(low, end));
                return list;
            }
        }
        var ranges = die.Find(DwAt.Ranges);
        if (ranges is null)
            return list;
        var a = ranges.Value;
        if (Version >= 5)
        {
            ulong offset = a.Form == DwForm.Rnglistx ? ListOffset(Info.Sections.Rnglists, RnglistsBase, a.Value) : a.Value;
            ReadRnglist(offset, list);
        }
        else
        {
            ReadDebugRanges(a.Value + (die.Tag == DwTag.CompileUnit || die.Tag == DwTag.SkeletonUnit ? 0 : RangesBase ?? 0), list);
        }
        return list;
    }

    /// <summary>rnglistx / loclistx: an offset table entry relative to the list base.</summary>
    private ulong ListOffset(ReadOnlyMemory<byte> section, ulong listBase, ulong index)
    {
        var r = new SpanReader(section.Span);
        r.Seek(listBase + index * (ulong)OffsetSize);
        return listBase + r.Sized(OffsetSize);
    }

    private void ReadDebugRanges(ulong offset, List<AddressRange> into)
    {
        var r = new SpanReader(Info.Sections.Ranges.Span);
        r.Seek(offset);
        ulong baseAddress = BaseAddress;
        ulong max = AddressSize == 8 ? ulong.MaxValue : uint.MaxValue;
        for (int i = 0; i < MaxListEntries; i++)
        {
            ulong start = r.Sized(AddressSize), end = r.Sized(AddressSize);
            if (start == 0 && end == 0)
                return;
            if (start == max)
            {
                baseAddress = end;
                continue;
            }
            if (end > start)
                into.Add(new AddressRange(baseAddress + start, baseAddress + end));
        }
        throw new InvalidDataException($"range list at 0x{offset:x} has more than {MaxListEntries} entries");
    }

    private void ReadRnglist(ulong offset, List<AddressRange> into)
    {
        var r = new SpanReader(Info.Sections.Rnglists.Span);
        r.Seek(offset);
        ulong baseAddress = BaseAddress;
        for (int i = 0; i < MaxListEntries; i++)
        {
            byte kind = r.U8();
            ulong start, end;
            switch (kind)
            {
                case 0: return;
                case 1: baseAddress = AddressAtIndex(r.Uleb()); continue;
                case 2: start = AddressAtIndex(r.Uleb()); end = AddressAtIndex(r.Uleb()); break;
                case 3: start = AddressAtIndex(r.Uleb()); end = start + r.Uleb(); break;
                case 4: start = baseAddress + r.Uleb(); end = baseAddress + r.Uleb(); break;
                case 5: baseAddress = r.Sized(AddressSize); continue;
                case 6: start = r.Sized(AddressSize); end = r.Sized(AddressSize); break;
                case 7: start = r.Sized(AddressSize); end = start + r.Uleb(); break;
                default: throw new InvalidDataException($"unknown range list entry kind {kind} at 0x{r.Position - 1:x}");
            }
            if (end > start)
                into.Add(new AddressRange(start, end));
        }
        throw new InvalidDataException($"range list at 0x{offset:x} has more than {MaxListEntries} entries");
    }

    /// <summary>
    /// The location expression that applies at <paramref name="pc"/> for a location-list
    /// attribute; null when the list has no entry there (the value is optimized out).
    /// </summary>
    public ReadOnlyMemory<byte>? LocationListEntry(AttributeValue a, ulong pc)
    {
        if (Version >= 5)
        {
            ulong offset = a.Form == DwForm.Loclistx ? ListOffset(Info.Sections.Loclists, LoclistsBase, a.Value) : a.Value;
            return ReadLoclist(offset, pc);
        }
        return ReadDebugLoc(a.Value, pc);
    }

    private ReadOnlyMemory<byte>? ReadDebugLoc(ulong offset, ulong pc)
    {
        var section = Info.Sections.Loc;
        var r = new SpanReader(section.Span);
        r.Seek(offset);
        ulong baseAddress = BaseAddress;
        ulong max = AddressSize == 8 ? ulong.MaxValue : uint.MaxValue;
        for (int i = 0; i < MaxListEntries; i++)
        {
            ulong start = r.Sized(AddressSize), end = r.Sized(AddressSize);
            if (start == 0 && end == 0)
                return null;
            if (start == max)
            {
                baseAddress = end;
                continue;
            }
            int length = r.U16();
            int at = r.Position;
            r.Skip((ulong)length);
            if (pc >= baseAddress + start && pc < baseAddress + end)
                return section.Slice(at, length);
        }
        throw new InvalidDataException($"location list at 0x{offset:x} has more than {MaxListEntries} entries");
    }

    private ReadOnlyMemory<byte>? ReadLoclist(ulong offset, ulong pc)
    {
        var section = Info.Sections.Loclists;
        var r = new SpanReader(section.Span);
        r.Seek(offset);
        ulong baseAddress = BaseAddress;
        ReadOnlyMemory<byte>? fallback = null;
        for (int i = 0; i < MaxListEntries; i++)
        {
            byte kind = r.U8();
            ulong start = 0, end = 0;
            bool isDefault = false;
            switch (kind)
            {
                case 0: return fallback;
                case 1: baseAddress = AddressAtIndex(r.Uleb()); continue;
                case 2: start = AddressAtIndex(r.Uleb()); end = AddressAtIndex(r.Uleb()); break;
                case 3: start = AddressAtIndex(r.Uleb()); end = start + r.Uleb(); break;
                case 4: start = baseAddress + r.Uleb(); end = baseAddress + r.Uleb(); break;
                case 5: isDefault = true; break;
                case 6: baseAddress = r.Sized(AddressSize); continue;
                case 7: start = r.Sized(AddressSize); end = r.Sized(AddressSize); break;
                case 8: start = r.Sized(AddressSize); end = start + r.Uleb(); break;
                default: throw new InvalidDataException($"unknown location list entry kind {kind} at 0x{r.Position - 1:x}");
            }
            int length = r.UlebCount(int.MaxValue, "location expression length");
            int at = r.Position;
            r.Skip((ulong)length);
            if (isDefault)
                fallback = section.Slice(at, length);
            else if (pc >= start && pc < end)
                return section.Slice(at, length);
        }
        throw new InvalidDataException($"location list at 0x{offset:x} has more than {MaxListEntries} entries");
    }
}
