using System.Buffers.Binary;

namespace Rewind.Cpu;

/// <summary>
/// The functions an ELF file's unwind table describes (.eh_frame, found through the program header
/// PT_GNU_EH_FRAME and its sorted search table, .eh_frame_hdr): each one's address and length, its
/// FDE's initial location and address range (LSB Core Specification, "Exception Frames"). Only the
/// encodings compilers and linkers write are read (4-byte offsets, pc- or data-relative); a table
/// in another is no table.
/// </summary>
internal static class UnwindTable
{
    private const uint PtGnuEhFrame = 0x6474e550;
    private const byte Udata4 = 0x03, Sdata4 = 0x0b, PcRelative = 0x10, DataRelative = 0x30;

    /// <summary>The functions of <paramref name="file"/>, whose sections (address, file offset, size) map addresses to file offsets.</summary>
    public static IEnumerable<(ulong Address, ulong Length)> Functions(ReadOnlySpan<byte> file, IReadOnlyList<(ulong Address, ulong Offset, ulong Size)> sections)
    {
        var functions = new List<(ulong, ulong)>();
        if (SearchTable(file) is not { } header)
        {
            return functions;
        }
        int OffsetOf(ulong address) =>
            sections.FirstOrDefault(s => s.Address != 0 && address >= s.Address && address - s.Address < s.Size) is { Size: > 0 } s
                ? (int)(s.Offset + (address - s.Address)) : -1;
        var (hdrOffset, hdrAddress) = header;
        if (hdrOffset + 4 > file.Length || file[hdrOffset] != 1 || file[hdrOffset + 2] != Udata4 || file[hdrOffset + 3] != (DataRelative | Sdata4))
        {
            return functions;
        }
        // eh_frame_ptr (4 bytes in the encodings read), fde_count, then (initial location, FDE address) pairs.
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file[(hdrOffset + 8)..]);
        int table = hdrOffset + 12;
        for (uint i = 0; i < count && table + 8 * (i + 1) <= file.Length; i++)
        {
            ulong start = hdrAddress + (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(file[(table + (int)(8 * i))..]);
            ulong fde = hdrAddress + (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(file[(table + (int)(8 * i) + 4)..]);
            if (OffsetOf(fde) is var at and >= 0 && RangeOf(file, at) is { } length)
            {
                functions.Add((start, length));
            }
        }
        return functions;
    }

    /// <summary>.eh_frame_hdr's file offset and address, from its program header.</summary>
    private static (int Offset, ulong Address)? SearchTable(ReadOnlySpan<byte> file)
    {
        if (file.Length < 64)
        {
            return null;
        }
        ulong tableAt = BinaryPrimitives.ReadUInt64LittleEndian(file[0x20..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file[0x36..]), count = BinaryPrimitives.ReadUInt16LittleEndian(file[0x38..]);
        for (int i = 0; i < count && entrySize >= 56 && tableAt + (ulong)((i + 1) * entrySize) <= (ulong)file.Length; i++)
        {
            var h = file.Slice((int)tableAt + i * entrySize, 56);
            if (BinaryPrimitives.ReadUInt32LittleEndian(h) == PtGnuEhFrame && BinaryPrimitives.ReadUInt64LittleEndian(h[8..]) < (ulong)file.Length)
            {
                return ((int)BinaryPrimitives.ReadUInt64LittleEndian(h[8..]), BinaryPrimitives.ReadUInt64LittleEndian(h[16..]));
            }
        }
        return null;
    }

    /// <summary>The address range of the FDE at <paramref name="at"/>: after its initial location, in the size its CIE's 'R' encoding gives.</summary>
    private static ulong? RangeOf(ReadOnlySpan<byte> file, int at)
    {
        if (at + 8 > file.Length || BinaryPrimitives.ReadUInt32LittleEndian(file[at..]) is 0 or 0xffffffff)
        {
            return null;
        }
        int cie = at + 4 - BinaryPrimitives.ReadInt32LittleEndian(file[(at + 4)..]);
        if (PointerEncoding(file, cie) is not (Sdata4 or Udata4 or (PcRelative | Sdata4) or (DataRelative | Sdata4)) || at + 16 > file.Length)
        {
            return null;
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 12)..]);
    }

    /// <summary>The encoding of FDE addresses a CIE names in its augmentation ('R'); absent, none.</summary>
    private static byte? PointerEncoding(ReadOnlySpan<byte> file, int cie)
    {
        if (cie < 0 || cie + 9 > file.Length || BinaryPrimitives.ReadUInt32LittleEndian(file[(cie + 4)..]) != 0)
        {
            return null;
        }
        int version = file[cie + 8], p = cie + 9;
        int end = file[p..].IndexOf((byte)0);
        if (end < 0)
        {
            return null;
        }
        var augmentation = file.Slice(p, end);
        p += end + 1;
        p = SkipLeb(file, SkipLeb(file, p));                 // code and data alignment
        p = version == 1 ? p + 1 : SkipLeb(file, p);          // return address register
        if (augmentation.IsEmpty || augmentation[0] != (byte)'z')
        {
            return null;
        }
        p = SkipLeb(file, p);                                  // augmentation data length
        foreach (byte c in augmentation[1..])
        {
            if (p >= file.Length)
            {
                return null;
            }
            switch ((char)c)
            {
                case 'R':
                    return file[p];
                case 'L':
                    p++;
                    break;
                case 'P':
                    // The personality routine's encoding, then its pointer: 4 bytes in the encodings read, 8 as an absolute one.
                    p += 1 + ((file[p] & 0x0f) is Udata4 or Sdata4 ? 4 : 8);
                    break;
                case 'S' or 'B':
                    break;
                default:
                    return null;
            }
        }
        return null;
    }

    private static int SkipLeb(ReadOnlySpan<byte> file, int p)
    {
        while (p < file.Length && (file[p] & 0x80) != 0)
        {
            p++;
        }
        return p + 1;
    }
}
