using System.Buffers.Binary;
using Iced.Intel;

namespace Rewind.Cpu;

/// <summary>
/// Where an ELF file's code executes CPUID: the file offsets of the instructions, found by
/// decoding its executable sections (SHF_EXECINSTR: .text, .init, .plt …) from their start, one
/// instruction after another, as objdump does. Sections are what tell code from data: an older
/// linker maps .rodata in the same executable segment, where 0f a2 may be two bytes of a
/// constant. A section whose decoding meets an invalid instruction holds data among its code
/// (OpenSSL's assembly keeps its constants in .text): there each function is decoded from its
/// entry instead, for its length, both from the unwind table (<see cref="UnwindTable"/>: hidden
/// functions have no symbol, but every function has an FDE), up to an invalid instruction, and
/// only what those decodings find is given. Patching a byte of data would change the program.
/// </summary>
public static class CpuidSites
{
    private const uint ShtNobits = 8;
    private const ulong ShfExecinstr = 4;

    /// <summary>The file offsets of the CPUID instructions in <paramref name="file"/>; none for a file that is not a 64-bit little-endian ELF with section headers.</summary>
    public static IReadOnlyList<ulong> In(ReadOnlySpan<byte> file)
    {
        var sections = Sections(file);
        var sites = new List<ulong>();
        foreach (var code in sections.Where(s => (s.Flags & ShfExecinstr) != 0 && s.Type != ShtNobits))
        {
            var (found, clean) = Decode(file, code.Offset, code.Size);
            sites.AddRange(clean ? found : InFunctions(file, sections, code));
        }
        return sites;
    }

    private readonly record struct Section(uint Type, ulong Flags, ulong Address, ulong Offset, ulong Size);

    /// <summary>The section headers whose bytes lie in the file; none where it is not an ELF64 LSB file.</summary>
    private static List<Section> Sections(ReadOnlySpan<byte> file)
    {
        // ELF magic, ELFCLASS64, ELFDATA2LSB.
        if (file.Length < 64 || !file[..4].SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']) || file[4] != 2 || file[5] != 1)
        {
            return [];
        }
        ulong tableAt = BinaryPrimitives.ReadUInt64LittleEndian(file[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(file[0x3a..]), count = BinaryPrimitives.ReadUInt16LittleEndian(file[0x3c..]);
        if (entrySize < 64 || tableAt > (ulong)file.Length || (ulong)(entrySize * count) > (ulong)file.Length - tableAt)
        {
            return [];
        }
        var sections = new List<Section>();
        for (int i = 0; i < count; i++)
        {
            var h = file.Slice((int)tableAt + i * entrySize, 64);
            var section = new Section(BinaryPrimitives.ReadUInt32LittleEndian(h[4..]), BinaryPrimitives.ReadUInt64LittleEndian(h[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[16..]), BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), BinaryPrimitives.ReadUInt64LittleEndian(h[32..]));
            if (section.Type == ShtNobits || section.Offset <= (ulong)file.Length && section.Size <= (ulong)file.Length - section.Offset)
            {
                sections.Add(section);
            }
        }
        return sections;
    }

    /// <summary>The sites of <paramref name="code"/> decoded from each function's entry that lies in it, for as long as the function is (its unwind table's pc range).</summary>
    private static IEnumerable<ulong> InFunctions(ReadOnlySpan<byte> file, List<Section> sections, Section code)
    {
        var sites = new SortedSet<ulong>();
        foreach (var (address, length) in UnwindTable.Functions(file, sections.Select(s => (s.Address, s.Offset, s.Size)).ToList()))
        {
            if (address >= code.Address && address - code.Address < code.Size)
            {
                ulong offset = code.Offset + (address - code.Address);
                sites.UnionWith(Decode(file, offset, Math.Min(length, code.Offset + code.Size - offset)).Found);
            }
        }
        return sites;
    }

    /// <summary>The CPUID instructions decoded from <paramref name="offset"/> on, up to <paramref name="size"/> bytes or the first invalid instruction, and whether there was none.</summary>
    private static (List<ulong> Found, bool Clean) Decode(ReadOnlySpan<byte> file, ulong offset, ulong size)
    {
        var found = new List<ulong>();
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(file.Slice((int)offset, (int)size).ToArray()), offset);
        while (decoder.IP < offset + size)
        {
            decoder.Decode(out var instruction);
            if (instruction.IsInvalid)
            {
                return (found, false);
            }
            if (instruction.Code == Code.Cpuid)
            {
                found.Add(instruction.IP);
            }
        }
        return (found, true);
    }
}
