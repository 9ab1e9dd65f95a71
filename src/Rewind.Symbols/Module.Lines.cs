using Rewind.Symbols.Dwarf;

namespace Rewind.Symbols;

public sealed partial class Module
{
    private readonly Dictionary<ulong, LineTable?> _unitLines = [];
    private LineIndex? _lines;

    internal LineTable? LineTableOf(DwarfUnit unit)
    {
        lock (_unitLines)
        {
            if (!_unitLines.TryGetValue(unit.Offset, out var table))
            {
                var root = unit.Header;
                if (root.Find(DwAt.StmtList) is { } stmt)
                    table = LineTable.Parse(unit.Info.Sections, stmt.Value, unit.String(root, DwAt.CompDir), root.Name);
                _unitLines[unit.Offset] = table;
            }
            return table;
        }
    }

    internal LineIndex? Lines
    {
        get
        {
            if (Dwarf is not { } dwarf)
                return null;
            lock (_gate)
            {
                return _lines ??= Guard(() => new LineIndex(dwarf.Units.Select(LineTableOf).OfType<LineTable>()));
            }
        }
    }

    /// <summary>The source line of an address (the row gdb would show), or null.</summary>
    public SourceLine? LineFor(RemotePtr address) => Guard(() => LineForCore(address));

    private SourceLine? LineForCore(RemotePtr address)
    {
        if (Lines is not { } lines || lines.Find(address.Value - LoadBias) is not { } e)
            return null;
        return new SourceLine(lines.Files[e.File], e.Line, e.Column, e.IsStatement, new RemotePtr(e.Address + LoadBias));
    }

    /// <summary>
    /// The addresses where a breakpoint on <paramref name="file"/>:<paramref name="line"/> goes:
    /// the first statement row of each block of that line (or of the next line that has code).
    /// <paramref name="file"/> matches a full path, a path suffix or a base name.
    /// </summary>
    public IReadOnlyList<SourceLine> AddressesFor(string file, int line) => Guard(() => AddressesForCore(file, line));

    private List<SourceLine> AddressesForCore(string file, int line)
    {
        var result = new List<SourceLine>();
        if (Lines is not { } lines)
            return result;
        var entries = lines.Entries;
        var matching = FilesMatching(lines, file).Select(lines.LinesOfFile).ToList();
        // The requested line, or the next line that has code (as gdb moves a breakpoint).
        int best = int.MaxValue;
        foreach (var f in matching)
        {
            int at = Array.BinarySearch(f.Lines, line);
            if (at < 0)
                at = ~at;
            if (at < f.Lines.Length && f.Lines[at] < best)
                best = f.Lines[at];
        }
        foreach (var f in matching)
            if (f.BlockStarts.TryGetValue(best, out var starts))
                foreach (int i in starts)
                {
                    var e = entries[i];
                    result.Add(new SourceLine(lines.Files[e.File], e.Line, e.Column, true, new RemotePtr(e.Address + LoadBias)));
                }
        result.Sort((a, b) => a.Address.CompareTo(b.Address));
        return result;
    }

    /// <summary>The statement rows (line starts) with addresses in [<paramref name="start"/>, <paramref name="end"/>), in address order: where line stepping stops.</summary>
    public IReadOnlyList<SourceLine> StatementsIn(RemotePtr start, RemotePtr end)
    {
        var result = new List<SourceLine>();
        if (Lines is not { } lines)
            return result;
        ulong lo = start.Value - LoadBias, hi = end.Value - LoadBias;
        foreach (var e in lines.Entries)
            if (!e.IsEnd && e.IsStatement && e.Address >= lo && e.Address < hi)
                result.Add(new SourceLine(lines.Files[e.File], e.Line, e.Column, true, new RemotePtr(e.Address + LoadBias)));
        result.Sort((a, b) => a.Address.CompareTo(b.Address));
        return result;
    }

    private readonly Dictionary<string, int[]> _fileQueries = [];
    private Dictionary<string, List<int>>? _filesByName;

    private int[] FilesMatching(LineIndex lines, string file)
    {
        lock (_fileQueries)
        {
            if (!_fileQueries.TryGetValue(file, out var ids))
            {
                if (_filesByName is null)
                {
                    _filesByName = [];
                    for (int i = 0; i < lines.Files.Count; i++)
                    {
                        string name = System.IO.Path.GetFileName(lines.Files[i]);
                        if (!_filesByName.TryGetValue(name, out var list))
                            _filesByName[name] = list = [];
                        list.Add(i);
                    }
                }
                ids = _filesByName.TryGetValue(System.IO.Path.GetFileName(file), out var candidates)
                    ? candidates.Where(i => FileMatches(lines.Files[i], file)).ToArray()
                    : [];
                _fileQueries[file] = ids;
            }
            return ids;
        }
    }

    internal static bool FileMatches(string path, string query) =>
        path == query || path.EndsWith("/" + query.TrimStart('/'), StringComparison.Ordinal)
        || System.IO.Path.GetFileName(path) == System.IO.Path.GetFileName(query) && !query.Contains('/', StringComparison.Ordinal);
}
