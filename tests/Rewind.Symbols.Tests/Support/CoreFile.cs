using System.Buffers.Binary;
using System.Text;

namespace Rewind.Symbols.Tests.Support;

/// <summary>
/// An ELF core file (as gdb's gcore writes it) read as a stopped process: memory from PT_LOAD
/// segments, falling back to the mapped files (NT_FILE) for pages gcore did not dump; the
/// first thread's registers from NT_PRSTATUS and NT_FPREGSET.
/// </summary>
internal sealed class CoreFile : IMemoryReader
{
    private const uint NT_PRSTATUS = 1, NT_FPREGSET = 2, NT_FILE = 0x46494c45;

    private readonly ElfFile _elf;
    private readonly Dictionary<string, byte[]> _files = [];

    public CoreFile(string path)
    {
        _elf = ElfFile.Open(path);
        Registers = new FrameRegisters();
        var map = new List<MemoryMapEntry>();
        bool haveThread = false;
        foreach (var note in _elf.Notes())
        {
            var d = note.Descriptor.Span;
            if (note.Type == NT_PRSTATUS && note.Owner == "CORE" && !haveThread)
            {
                haveThread = true;
                var words = new ulong[27];
                for (int i = 0; i < 27; i++)
                    words[i] = BinaryPrimitives.ReadUInt64LittleEndian(d[(112 + i * 8)..]);
                Registers = FrameRegisters.FromUserRegs(words);
            }
            else if (note.Type == NT_FPREGSET && note.Owner == "CORE" && d.Length >= 416)
            {
                for (int i = 0; i < 16; i++)
                    Registers[DwarfRegister.Xmm0 + i] = BinaryPrimitives.ReadUInt64LittleEndian(d[(160 + i * 16)..]);
            }
            else if (note.Type == NT_FILE)
            {
                ulong count = BinaryPrimitives.ReadUInt64LittleEndian(d);
                ulong page = BinaryPrimitives.ReadUInt64LittleEndian(d[8..]);
                int names = 16 + (int)count * 24;
                for (int i = 0; i < (int)count; i++)
                {
                    var e = d[(16 + i * 24)..];
                    int end = d[names..].IndexOf((byte)0);
                    string name = Encoding.UTF8.GetString(d.Slice(names, end));
                    names += end + 1;
                    map.Add(new MemoryMapEntry(new RemotePtr(BinaryPrimitives.ReadUInt64LittleEndian(e)),
                        new RemotePtr(BinaryPrimitives.ReadUInt64LittleEndian(e[8..])),
                        BinaryPrimitives.ReadUInt64LittleEndian(e[16..]) * page, "r-xp", name));
                }
            }
        }
        Map = map;
    }

    public FrameRegisters Registers { get; private set; }

    public IReadOnlyList<MemoryMapEntry> Map { get; }

    public int Read(RemotePtr address, Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = ReadSome(address.Value + (ulong)done, buffer[done..]);
            if (n <= 0)
                break;
            done += n;
        }
        return done;
    }

    private int ReadSome(ulong address, Span<byte> buffer)
    {
        foreach (var seg in _elf.Segments)
        {
            if (seg.Type != ElfSegment.PT_LOAD || address < seg.VirtualAddress || address >= seg.VirtualAddress + seg.MemorySize)
                continue;
            ulong offset = address - seg.VirtualAddress;
            if (offset < seg.FileSize)
            {
                int n = (int)Math.Min((ulong)buffer.Length, seg.FileSize - offset);
                _elf.Bytes.Span.Slice((int)(seg.FileOffset + offset), n).CopyTo(buffer);
                return n;
            }
        }
        foreach (var m in Map)
        {
            if (address < m.Start.Value || address >= m.End.Value)
                continue;
            if (!_files.TryGetValue(m.Path, out var bytes))
                _files[m.Path] = bytes = File.Exists(m.Path) ? File.ReadAllBytes(m.Path) : [];
            ulong at = address - m.Start.Value + m.FileOffset;
            if (at >= (ulong)bytes.Length)
                return 0;
            int n = (int)Math.Min((ulong)buffer.Length, Math.Min(m.End.Value - address, (ulong)bytes.Length - at));
            bytes.AsSpan((int)at, n).CopyTo(buffer);
            return n;
        }
        return 0;
    }
}
