using Rewind.Symbols.Dwarf;
using Rewind.Symbols.Unwinding;

namespace Rewind.Symbols;

/// <summary>
/// One ELF file mapped into the process (the executable or a shared library): its symbols,
/// line table, functions, variables and call-frame information, all read on first use.
/// Addresses in and out of the public API are relocated (they include <see cref="LoadBias"/>).
/// A module whose debug information is malformed keeps its ELF symbols and CFI; the
/// problem is in <see cref="DebugInfoError"/> and each failing lookup throws <see cref="DebugInfoException"/>.
/// </summary>
public sealed partial class Module
{
    private readonly object _gate = new();
    private DwarfInfo? _dwarf;
    private bool _dwarfTried;
    private string? _debugInfoError;

    internal TypeReader Types { get; } = new();

    internal Module(string path, ElfFile elf, ElfFile? debugElf, ulong loadBias, RemotePtr start, RemotePtr end)
    {
        Path = path;
        Elf = elf;
        DebugElf = debugElf;
        LoadBias = loadBias;
        Start = start;
        End = end;
    }

    public string Path { get; }

    public ElfFile Elf { get; }

    /// <summary>The file with the DWARF sections: the module itself or its separate debug file.</summary>
    public ElfFile? DebugElf { get; }

    public ulong LoadBias { get; }

    public RemotePtr Start { get; }

    public RemotePtr End { get; }

    public string? BuildId => Elf.BuildId;

    /// <summary>Why the module's debug information is (partly) unusable, or null; reading it loads the DWARF.</summary>
    public string? DebugInfoError
    {
        get
        {
            _ = Dwarf;
            return _debugInfoError;
        }
        private set => _debugInfoError = value;
    }

    public bool HasDebugInfo => Dwarf is not null;

    public bool Contains(RemotePtr address) => address >= Start && address < End;

    /// <summary>Opens a module from its file, finding a separate debug file by build-id or debuglink.</summary>
    public static Module Load(string path, RemotePtr start, RemotePtr end, ulong loadBias, Func<string, Stream?>? open = null, string debugRoot = "/usr/lib/debug")
    {
        open ??= DiskFiles;
        var elf = ElfFile.Parse(ReadAll(open, path) ?? throw new DebugInfoException($"{path}: file not found"), path);
        ElfFile? debug = elf.FindSection(".debug_info") is not null ? elf : FindDebugFile(elf, path, open, debugRoot);
        return new Module(path, elf, debug, loadBias, start, end);
    }

    /// <summary>Load bias of an ELF mapped at <paramref name="start"/> from file offset <paramref name="fileOffset"/>.</summary>
    public static ulong ComputeLoadBias(ElfFile elf, ulong start, ulong fileOffset)
    {
        if (elf.FileType == ElfFile.ET_EXEC)
            return 0;
        foreach (var seg in elf.Segments)
        {
            if (seg.Type != ElfSegment.PT_LOAD)
                continue;
            ulong pageOffset = seg.FileOffset & ~0xfffUL;
            if (pageOffset == fileOffset)
                return start - (seg.VirtualAddress & ~0xfffUL);
        }
        return start;
    }

    internal static Stream? DiskFiles(string path) => File.Exists(path) ? File.OpenRead(path) : null;

    internal static byte[]? ReadAll(Func<string, Stream?> open, string path)
    {
        using var s = open(path);
        if (s is null)
            return null;
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static ElfFile? FindDebugFile(ElfFile elf, string path, Func<string, Stream?> open, string debugRoot)
    {
        var candidates = new List<string>();
        if (elf.BuildId is { Length: > 2 } id)
            candidates.Add($"{debugRoot}/.build-id/{id[..2]}/{id[2..]}.debug");
        if (elf.DebugLink is { Length: > 0 } link)
        {
            string dir = System.IO.Path.GetDirectoryName(path) ?? "";
            candidates.Add($"{dir}/{link}");
            candidates.Add($"{dir}/.debug/{link}");
            candidates.Add($"{debugRoot}{dir}/{link}");
        }
        foreach (var c in candidates)
        {
            try
            {
                if (ReadAll(open, c) is { } bytes)
                {
                    var d = ElfFile.Parse(bytes, c);
                    if (d.FindSection(".debug_info") is not null && (elf.BuildId is null || d.BuildId is null || d.BuildId == elf.BuildId))
                        return d;
                }
            }
            catch (Exception e) when (e is DebugInfoException or IOException or UnauthorizedAccessException)
            {
                // A broken debug file is as good as none: the module keeps its symbols and CFI.
            }
        }
        return null;
    }

    internal DwarfInfo? Dwarf
    {
        get
        {
            lock (_gate)
            {
                if (!_dwarfTried)
                {
                    _dwarfTried = true;
                    if (DebugElf is not null)
                    {
                        try
                        {
                            _dwarf = new DwarfInfo(new DwarfSections(DebugElf));
                        }
                        catch (Exception e) when (e is InvalidDataException or DebugInfoException)
                        {
                            _debugInfoError = $"{Path}: bad debug information: {e.Message}";
                        }
                    }
                }
                return _dwarf;
            }
        }
    }

    internal void NoteError(string message) => _debugInfoError ??= $"{Path}: {message}";

    /// <summary>Runs a lookup over this module's DWARF, turning malformed data into a module-level error.</summary>
    internal T Guard<T>(Func<T> lookup)
    {
        try
        {
            return lookup();
        }
        catch (InvalidDataException e)
        {
            _debugInfoError ??= $"{Path}: bad debug information: {e.Message}";
            throw new DebugInfoException($"{Path}: bad debug information: {e.Message}", e);
        }
    }

    public override string ToString() => $"{Path} @0x{LoadBias:x}";
}
