namespace Rewind.Symbols;

/// <summary>
/// The symbols of one process: its modules, found from its memory map. This is what the DAP
/// server asks for lines, functions, backtraces and variables at any moment of a replay.
/// </summary>
public sealed partial class SymbolTable
{
    private readonly Module[] _modules;

    public SymbolTable(IEnumerable<Module> modules, IEnumerable<string>? errors = null)
    {
        _modules = modules.OrderBy(m => m.Start).ToArray();
        Errors = errors?.ToList() ?? [];
    }

    public IReadOnlyList<Module> Modules => _modules;

    /// <summary>One line per module that could not be opened (missing or malformed file).</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>
    /// Finds the modules of a memory map (executable and shared libraries, by path), their load
    /// bias, and opens their ELF files through <paramref name="open"/> (the disk by default;
    /// a trace can serve the bytes it recorded).
    /// </summary>
    public static SymbolTable Load(IEnumerable<MemoryMapEntry> map, Func<string, Stream?>? open = null, string debugRoot = "/usr/lib/debug")
    {
        var modules = new List<Module>();
        var errors = new List<string>();
        foreach (var group in map.Where(e => e.Path.StartsWith('/')).GroupBy(e => StripDeleted(e.Path)))
        {
            var first = group.MinBy(e => e.FileOffset)!;
            var start = group.Min(e => e.Start);
            var end = group.Max(e => e.End);
            try
            {
                open ??= Module.DiskFiles;
                var bytes = ReadIfElf(open, group.Key, out bool found);
                if (!found)
                {
                    errors.Add($"{group.Key}: file not found");
                    continue;
                }
                if (bytes is null)
                    continue; // a mapped data file (fonts, managed assemblies, locale archives): not a module
                var elf = ElfFile.Parse(bytes, group.Key);
                ulong bias = Module.ComputeLoadBias(elf, first.Start.Value, first.FileOffset);
                (start, end) = WithinImage(elf, bias, start, end);
                var m = Module.Load(group.Key, start, end, bias, p => p == group.Key ? new MemoryStream(bytes) : open(p), debugRoot);
                modules.Add(m);
            }
            catch (Exception e) when (e is DebugInfoException or IOException or UnauthorizedAccessException)
            {
                errors.Add(e.Message);
            }
        }
        return new SymbolTable(modules, errors);
    }

    /// <summary>
    /// A module's extent: its mappings', but not past its loaded image (its PT_LOAD segments at
    /// <paramref name="bias"/>). A file mapped again as data elsewhere (a .NET single-file app
    /// maps its whole file, flat, to read its bundled assemblies) would otherwise stretch the
    /// module over the libraries between the two.
    /// </summary>
    private static (RemotePtr Start, RemotePtr End) WithinImage(ElfFile elf, ulong bias, RemotePtr start, RemotePtr end)
    {
        var loads = elf.Segments.Where(g => g.Type == ElfSegment.PT_LOAD).ToList();
        if (loads.Count == 0)
            return (start, end);
        var imageStart = new RemotePtr(bias + (loads.Min(g => g.VirtualAddress) & ~0xfffUL));
        var imageEnd = new RemotePtr(bias + ((loads.Max(g => g.VirtualAddress + g.MemorySize) + 0xfff) & ~0xfffUL));
        return imageStart < end && start < imageEnd ? (imageStart > start ? imageStart : start, imageEnd < end ? imageEnd : end) : (start, end);
    }

    private static byte[]? ReadIfElf(Func<string, Stream?> open, string path, out bool found)
    {
        using var stream = open(path);
        found = stream is not null;
        if (stream is null)
            return null;
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !magic.SequenceEqual("\u007fELF"u8))
            return null;
        using var copy = new MemoryStream();
        copy.Write(magic);
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string StripDeleted(string path) =>
        path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^10] : path;

    public Module? ModuleAt(RemotePtr address)
    {
        foreach (var m in _modules)
            if (m.Contains(address))
                return m;
        return null;
    }

    public SourceLine? LineFor(RemotePtr address) => ModuleAt(address)?.LineFor(address);

    public IReadOnlyList<SourceLine> AddressesFor(string file, int line) =>
        _modules.SelectMany(m => m.AddressesFor(file, line)).ToList();

    public Function? FunctionAt(RemotePtr address) => ModuleAt(address)?.FunctionAt(address);


    /// <summary>"sym" or "sym+off" for an address inside a function or object of some module.</summary>
    public string? SymbolicName(RemotePtr address) => ModuleAt(address)?.SymbolicName(address);

    /// <summary>The line range around an address, for line stepping; see <see cref="Module.LineRangeAt"/>.</summary>
    public (RemotePtr Start, RemotePtr End)? LineRangeAt(RemotePtr address) => ModuleAt(address)?.LineRangeAt(address);

    /// <summary>Breakpoint addresses for a function name: after the prologue of each function of that name.</summary>
    public IReadOnlyList<RemotePtr> FunctionBreakpoints(string name) =>
        _modules.SelectMany(m => m.FunctionsNamed(name).Select(m.AfterPrologue)).Distinct().ToList();
}
