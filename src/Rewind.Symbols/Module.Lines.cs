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
    public SourceLine? LineFor(RemotePtr address)
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
    public IReadOnlyList<SourceLine> AddressesFor(string file, int line)
    {
        var result = new List<SourceLine>();
        if (Lines is not { } lines)
            return result;
        var fileIds = new HashSet<int>();
        for (int i = 0; i < lines.Files.Count; i++)
            if (FileMatches(lines.Files[i], file))
                fileIds.Add(i);
        if (fileIds.Count == 0)
            return result;
        var entries = lines.Entries;
        int best = int.MaxValue;
        foreach (var e in entries)
            if (!e.IsEnd && e.IsStatement && fileIds.Contains(e.File) && e.Line >= line && e.Line < best)
                best = e.Line;
        if (best == int.MaxValue)
            return result;
        bool previousMatched = false;
        foreach (var e in entries)
        {
            bool match = !e.IsEnd && e.IsStatement && fileIds.Contains(e.File) && e.Line == best;
            if (match && !previousMatched)
                result.Add(new SourceLine(lines.Files[e.File], e.Line, e.Column, true, new RemotePtr(e.Address + LoadBias)));
            if (!e.IsEnd && e.IsStatement || e.IsEnd)
                previousMatched = match;
        }
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

    internal static bool FileMatches(string path, string query) =>
        path == query || path.EndsWith("/" + query.TrimStart('/'), StringComparison.Ordinal)
        || System.IO.Path.GetFileName(path) == System.IO.Path.GetFileName(query) && !query.Contains('/', StringComparison.Ordinal);
}
