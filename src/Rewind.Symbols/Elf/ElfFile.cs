using System.IO.Compression;

namespace Rewind.Symbols;

/// <summary>
/// A 64-bit little-endian ELF file (x86-64 executable, shared library, debug file or core):
/// its section and program headers, symbols and notes. The whole file is held in memory;
/// section data are slices of it, decompressed when SHF_COMPRESSED.
/// </summary>
public sealed partial class ElfFile
{
    public const ushort ET_EXEC = 2;
    public const ushort ET_DYN = 3;
    public const ushort ET_CORE = 4;
    private const ushort EM_X86_64 = 62;
    private const int MaxSections = 65_536;
    private const int MaxSegments = 65_536;
    private const ulong MaxDecompressedSize = 1UL << 31;

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _decompressed = [];
    private List<ElfSymbol>? _symbols;

    private ElfFile(string name, ReadOnlyMemory<byte> bytes)
    {
        Name = name;
        _bytes = bytes;
    }

    public string Name { get; }

    public ushort FileType { get; private set; }

    public ulong Entry { get; private set; }

    public IReadOnlyList<ElfSection> Sections { get; private set; } = [];

    public IReadOnlyList<ElfSegment> Segments { get; private set; } = [];

    public ReadOnlyMemory<byte> Bytes => _bytes;

    public static ElfFile Open(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses headers; throws <see cref="DebugInfoException"/> naming <paramref name="name"/>.</summary>
    public static ElfFile Parse(ReadOnlyMemory<byte> bytes, string name)
    {
        var elf = new ElfFile(name, bytes);
        try
        {
            elf.ParseHeaders();
        }
        catch (InvalidDataException e)
        {
            throw new DebugInfoException($"{name}: bad ELF file: {e.Message}", e);
        }
        return elf;
    }

    private void ParseHeaders()
    {
        var r = new SpanReader(_bytes.Span);
        var ident = r.Bytes(16);
        if (ident[0] != 0x7f || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file (bad magic)");
        if (ident[4] != 2)
            throw new InvalidDataException("not a 64-bit ELF file");
        if (ident[5] != 1)
            throw new InvalidDataException("not a little-endian ELF file");
        FileType = r.U16();
        ushort machine = r.U16();
        if (machine != EM_X86_64 && machine != 0)
            throw new InvalidDataException($"machine {machine} is not x86-64");
        r.U32();
        Entry = r.U64();
        ulong phoff = r.U64(), shoff = r.U64();
        r.U32();
        r.U16();
        ushort phentsize = r.U16();
        uint phnum = r.U16();
        ushort shentsize = r.U16();
        uint shnum = r.U16();
        uint shstrndx = r.U16();

        if (shoff != 0 && (shnum == 0 || shstrndx == 0xffff))
        {
            // Extended numbering (gABI): the real counts live in section header 0.
            if (shentsize < 64)
                throw new InvalidDataException($"section header size {shentsize} is too small");
            var s0 = new SpanReader(_bytes.Span);
            s0.Seek(shoff);
            s0.Skip(32);
            ulong size = s0.U64();
            uint link = s0.U32();
            if (shnum == 0)
                shnum = size > MaxSections ? throw new InvalidDataException($"section count {size} exceeds the limit of {MaxSections}") : (uint)size;
            if (shstrndx == 0xffff)
                shstrndx = link;
        }
        if (phnum == 0xffff)
            throw new InvalidDataException("extended program header numbering is not supported");
        if (phnum > MaxSegments)
            throw new InvalidDataException($"program header count {phnum} exceeds the limit of {MaxSegments}");

        var segments = new List<ElfSegment>((int)phnum);
        if (phnum > 0)
        {
            if (phentsize < 56)
                throw new InvalidDataException($"program header size {phentsize} is too small");
            for (uint i = 0; i < phnum; i++)
            {
                var p = new SpanReader(_bytes.Span);
                p.Seek(phoff + i * (ulong)phentsize);
                uint type = p.U32(), flags = p.U32();
                ulong offset = p.U64(), vaddr = p.U64();
                p.U64(); // p_paddr
                ulong fileSize = p.U64(), memorySize = p.U64(), align = p.U64();
                segments.Add(new ElfSegment(type, flags, offset, vaddr, fileSize, memorySize, align));
            }
        }
        Segments = segments;

        var raw = new List<(uint Name, uint Type, ulong Flags, ulong Addr, ulong Off, ulong Size, uint Link, uint Info, ulong EntSize)>();
        if (shoff != 0 && shnum > 0)
        {
            if (shentsize < 64)
                throw new InvalidDataException($"section header size {shentsize} is too small");
            if (shnum > MaxSections)
                throw new InvalidDataException($"section count {shnum} exceeds the limit of {MaxSections}");
            for (uint i = 0; i < shnum; i++)
            {
                var s = new SpanReader(_bytes.Span);
                s.Seek(shoff + i * (ulong)shentsize);
                uint name = s.U32(), type = s.U32();
                ulong flags = s.U64(), addr = s.U64(), off = s.U64(), size = s.U64();
                uint link = s.U32(), info = s.U32();
                s.U64(); // sh_addralign
                raw.Add((name, type, flags, addr, off, size, link, info, s.U64()));
            }
        }
        var sections = new List<ElfSection>(raw.Count);
        ReadOnlySpan<byte> names = default;
        if (raw.Count > 0 && shstrndx != 0)
        {
            if (shstrndx >= raw.Count)
                throw new InvalidDataException($"section name table index {shstrndx} is out of range ({raw.Count} sections)");
            var st = raw[(int)shstrndx];
            names = Slice(st.Off, st.Size, "section name table").Span;
        }
        for (int i = 0; i < raw.Count; i++)
        {
            var h = raw[i];
            string name = names.IsEmpty || h.Name == 0 ? "" : SpanReader.CStringAt(names, h.Name);
            if (h.Type != ElfSection.SHT_NOBITS && h.Type != 0)
                Slice(h.Off, h.Size, $"section {name}");
            sections.Add(new ElfSection(i, name, h.Type, h.Flags, h.Addr, h.Off, h.Size, h.Link, h.Info, h.EntSize));
        }
        Sections = sections;
    }

    internal ReadOnlyMemory<byte> Slice(ulong offset, ulong size, string what)
    {
        if (offset > (ulong)_bytes.Length || size > (ulong)_bytes.Length - offset)
            throw new InvalidDataException($"{what} (offset 0x{offset:x}, size 0x{size:x}) lies outside the file (0x{_bytes.Length:x} bytes)");
        return _bytes.Slice((int)offset, (int)size);
    }

    public ElfSection? FindSection(string name)
    {
        foreach (var s in Sections)
            if (s.Name == name)
                return s;
        return null;
    }

    /// <summary>The bytes of a section, decompressed if needed; empty when absent or NOBITS.</summary>
    public ReadOnlyMemory<byte> SectionData(string name)
    {
        var s = FindSection(name);
        if (s is null && name.StartsWith(".debug_", StringComparison.Ordinal))
            s = FindSection(".zdebug_" + name[7..]);
        if (s is null || s.Type == ElfSection.SHT_NOBITS)
            return ReadOnlyMemory<byte>.Empty;
        return SectionData(s);
    }

    public ReadOnlyMemory<byte> SectionData(ElfSection s)
    {
        if (s.Type == ElfSection.SHT_NOBITS)
            return ReadOnlyMemory<byte>.Empty;
        try
        {
            var data = Slice(s.FileOffset, s.Size, $"section {s.Name}");
            if ((s.Flags & ElfSection.SHF_COMPRESSED) == 0 && !s.Name.StartsWith(".zdebug", StringComparison.Ordinal))
                return data;
            lock (_decompressed)
            {
                if (!_decompressed.TryGetValue(s.Name, out var d))
                    _decompressed[s.Name] = d = Decompress(s, data);
                return d;
            }
        }
        catch (InvalidDataException e)
        {
            throw new DebugInfoException($"{Name}: bad section {s.Name}: {e.Message}", e);
        }
    }

    private static byte[] Decompress(ElfSection s, ReadOnlyMemory<byte> data)
    {
        var r = new SpanReader(data.Span);
        ulong size;
        if ((s.Flags & ElfSection.SHF_COMPRESSED) != 0)
        {
            uint type = r.U32();
            r.U32();
            size = r.U64();
            r.U64();
            if (type != 1)
                throw new InvalidDataException($"compression type {type} is not supported (only zlib)");
        }
        else
        {
            if (r.Bytes(4).SequenceEqual("ZLIB"u8) == false)
                throw new InvalidDataException("bad .zdebug header");
            size = 0;
            for (int i = 0; i < 8; i++)
                size = (size << 8) | r.U8();
        }
        if (size > MaxDecompressedSize)
            throw new InvalidDataException($"decompressed size {size} exceeds the limit of {MaxDecompressedSize}");
        var output = new byte[size];
        using var z = new ZLibStream(new MemoryStream(data[r.Position..].ToArray()), CompressionMode.Decompress);
        try
        {
            z.ReadExactly(output);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("compressed section is shorter than its header says", e);
        }
        return output;
    }
}
