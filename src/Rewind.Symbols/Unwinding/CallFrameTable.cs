namespace Rewind.Symbols.Unwinding;

/// <summary>
/// The FDEs of one .eh_frame or .debug_frame section, sorted by start address for lookups.
/// </summary>
internal sealed partial class CallFrameTable
{
    private const int MaxEntries = 5_000_000;

    private readonly FrameDescriptionEntry[] _fdes;

    /// <param name="sectionAddress">The section's unrelocated address, for pc-relative pointers.</param>
    public CallFrameTable(ReadOnlyMemory<byte> section, ulong sectionAddress, bool isEhFrame)
    {
        var fdes = new List<FrameDescriptionEntry>();
        var cies = new Dictionary<ulong, CommonInformationEntry>();
        var r = new SpanReader(section.Span);
        while (r.Remaining >= 4)
        {
            if (fdes.Count + cies.Count >= MaxEntries)
                throw new InvalidDataException($"more than {MaxEntries} call frame entries");
            ulong start = (ulong)r.Position;
            ulong length = r.U32();
            bool is64 = false;
            if (length == 0)
            {
                if (isEhFrame)
                    break; // .eh_frame terminator
                continue;
            }
            if (length == 0xffffffff)
            {
                length = r.U64();
                is64 = true;
            }
            ulong idPosition = (ulong)r.Position;
            ulong end = idPosition + length;
            if (end > (ulong)r.Length)
                throw new InvalidDataException($"call frame entry at 0x{start:x} has length 0x{length:x}, beyond the section");
            ulong id = is64 ? r.U64() : r.U32();
            bool isCie = isEhFrame ? id == 0 : id == (is64 ? ulong.MaxValue : 0xffffffff);
            if (!isCie)
            {
                ulong cieOffset = isEhFrame ? idPosition - id : id;
                if (!cies.TryGetValue(cieOffset, out var cie))
                {
                    cie = ParseCie(section, cieOffset, sectionAddress, isEhFrame);
                    cies[cieOffset] = cie;
                }
                var fr = new SpanReader(section.Span[..(int)end], r.Position);
                ulong pcBegin = ReadPointer(ref fr, cie.FdeEncoding, sectionAddress, cie.AddressSize);
                ulong pcRange = ReadPointer(ref fr, (byte)(cie.FdeEncoding & 0x0f), sectionAddress, cie.AddressSize);
                if (cie.HasAugmentationData)
                    fr.Skip(fr.Uleb());
                if (pcBegin != 0 || !isEhFrame)
                    fdes.Add(new FrameDescriptionEntry(pcBegin, pcBegin + pcRange, cie, section[fr.Position..(int)end]));
            }
            r.Seek(end);
        }
        fdes.Sort((a, b) => a.Start.CompareTo(b.Start));
        _fdes = [.. fdes];
    }

    public int Count => _fdes.Length;

    public FrameDescriptionEntry? Find(ulong pc)
    {
        int lo = 0, hi = _fdes.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_fdes[mid].Start <= pc)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        // Ranges do not overlap in practice; look back a little in case they do.
        for (int i = found; i >= 0 && i > found - 4; i--)
            if (pc >= _fdes[i].Start && pc < _fdes[i].End)
                return _fdes[i];
        return null;
    }

    private static CommonInformationEntry ParseCie(ReadOnlyMemory<byte> section, ulong offset, ulong sectionAddress, bool isEhFrame)
    {
        var r = new SpanReader(section.Span);
        r.Seek(offset);
        ulong length = r.U32();
        bool is64 = length == 0xffffffff;
        if (is64)
            length = r.U64();
        ulong end = (ulong)r.Position + length;
        if (length == 0 || end > (ulong)r.Length)
            throw new InvalidDataException($"CIE at 0x{offset:x} has bad length 0x{length:x}");
        r = new SpanReader(section.Span[..(int)end], r.Position);
        ulong id = is64 ? r.U64() : r.U32();
        if (isEhFrame ? id != 0 : id != (is64 ? ulong.MaxValue : 0xffffffff))
            throw new InvalidDataException($"FDE points at 0x{offset:x}, which is not a CIE");
        int version = r.U8();
        if (version is not (1 or 3 or 4))
            throw new InvalidDataException($"CIE at 0x{offset:x} has unsupported version {version}");
        string augmentation = r.CString();
        int addressSize = 8;
        if (version == 4)
        {
            addressSize = r.U8();
            r.U8();
            if (addressSize is not (4 or 8))
                throw new InvalidDataException($"CIE at 0x{offset:x} has address size {addressSize}");
        }
        if (augmentation.Contains("eh", StringComparison.Ordinal))
            r.Skip((ulong)addressSize);
        ulong codeAlign = r.Uleb();
        long dataAlign = r.Sleb();
        int raRegister = version == 1 ? r.U8() : (int)Math.Min(r.Uleb(), 1024);
        byte fdeEncoding = 0, lsdaEncoding = 0xff;
        bool signal = false, hasData = false;
        if (augmentation.StartsWith('z'))
        {
            hasData = true;
            ulong dataLength = r.Uleb();
            int dataEnd = checked(r.Position + (int)Math.Min(dataLength, int.MaxValue));
            foreach (char c in augmentation.AsSpan(1))
            {
                switch (c)
                {
                    case 'L': lsdaEncoding = r.U8(); break;
                    case 'R': fdeEncoding = r.U8(); break;
                    case 'P':
                        byte enc = r.U8();
                        ReadPointer(ref r, enc, sectionAddress, addressSize);
                        break;
                    case 'S': signal = true; break;
                    case 'B' or 'G': break;
                    default: goto done; // unknown augmentation: the length lets us skip its data
                }
            }
        done:
            r.Seek((ulong)dataEnd);
        }
        else if (augmentation.Length > 0 && augmentation != "eh")
        {
            throw new InvalidDataException($"CIE at 0x{offset:x} has unknown augmentation \"{augmentation}\"");
        }
        return new CommonInformationEntry(codeAlign, dataAlign, raRegister, fdeEncoding, lsdaEncoding, hasData, signal,
            addressSize, section[r.Position..(int)end]);
    }

    /// <summary>Reads a DW_EH_PE-encoded pointer (LSB, "Exception Frames").</summary>
    internal static ulong ReadPointer(ref SpanReader r, byte encoding, ulong sectionAddress, int addressSize)
    {
        if (encoding == 0xff)
            return 0;
        ulong position = sectionAddress + (ulong)r.Position;
        ulong value = (encoding & 0x0f) switch
        {
            0x00 => r.Sized(addressSize),
            0x01 => r.Uleb(),
            0x02 => r.U16(),
            0x03 => r.U32(),
            0x04 => r.U64(),
            0x09 => (ulong)r.Sleb(),
            0x0a => (ulong)r.S16(),
            0x0b => (ulong)r.S32(),
            0x0c => (ulong)r.S64(),
            _ => throw new InvalidDataException($"unknown pointer encoding 0x{encoding:x2}"),
        };
        switch (encoding & 0x70)
        {
            case 0x00: break;
            case 0x10: value += position; break;
            case 0x30 or 0x20 or 0x40 or 0x50: break; // datarel/textrel/funcrel/aligned: not used on x86-64 Linux
            default: throw new InvalidDataException($"unknown pointer application 0x{encoding:x2}");
        }
        return value;
    }
}
