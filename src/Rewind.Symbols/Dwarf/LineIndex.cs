namespace Rewind.Symbols.Dwarf;

/// <summary>
/// All line rows of a module sorted by address, filtered the way gdb records them so that the
/// line Rewind shows for an address is the line gdb shows: rows of line 0 are dropped (the
/// previous line extends over them), a row repeating the previous line with a non-zero
/// discriminator is dropped, and at one address the last row wins unless it is not a
/// statement and an earlier row there is (gdb 13, dwarf2/read.c and symtab.c).
/// </summary>
internal sealed class LineIndex
{
    private readonly LineEntry[] _entries;

    public LineIndex(IEnumerable<LineTable> tables)
    {
        var files = new List<string>();
        var fileIds = new Dictionary<string, int>();
        var sortable = new List<(LineEntry Entry, int Order)>();
        foreach (var table in tables)
        {
            var map = new int[table.Files.Count];
            for (int i = 0; i < map.Length; i++)
            {
                if (!fileIds.TryGetValue(table.Files[i], out int id))
                {
                    fileIds[table.Files[i]] = id = files.Count;
                    files.Add(table.Files[i]);
                }
                map[i] = id;
            }
            int lastLine = -1, lastFile = -1;
            bool lastHadDiscriminator = false;
            foreach (var row in table.Rows)
            {
                int file = row.File >= 0 && row.File < map.Length ? map[row.File] : -1;
                if (row.EndSequence)
                {
                    sortable.Add((new LineEntry(row.Address, -1, 0, 0, false, false), sortable.Count));
                    lastLine = -1;
                    lastFile = -1;
                    lastHadDiscriminator = false;
                    continue;
                }
                if (row.Line == 0 || file < 0)
                    continue;
                if (file == lastFile && row.Line == lastLine && (row.Discriminator != 0 || lastHadDiscriminator))
                    continue;
                lastHadDiscriminator = row.Line == lastLine && file == lastFile ? lastHadDiscriminator || row.Discriminator != 0 : row.Discriminator != 0;
                lastLine = row.Line;
                lastFile = file;
                sortable.Add((new LineEntry(row.Address, file, row.Line, row.Column, row.IsStatement, row.PrologueEnd), sortable.Count));
            }
        }
        // Ends before starts at one address (a sequence that ends where the next begins), otherwise program order.
        sortable.Sort((a, b) =>
        {
            int c = a.Entry.Address.CompareTo(b.Entry.Address);
            if (c != 0)
                return c;
            c = b.Entry.IsEnd.CompareTo(a.Entry.IsEnd);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        _entries = sortable.Select(s => s.Entry).ToArray();
        Files = files;
    }

    public IReadOnlyList<string> Files { get; }

    private FileLines[]? _byFile;

    /// <summary>The statement rows of one file that start a block of their line, by line.</summary>
    internal sealed class FileLines
    {
        public int[] Lines = [];
        public Dictionary<int, List<int>> BlockStarts = [];
    }

    /// <summary>
    /// Per file, the rows where a block of a line starts: the file's previous statement row
    /// (in address order) had another line or lay in another sequence. Built on first use.
    /// </summary>
    public FileLines LinesOfFile(int file)
    {
        lock (_entries)
        {
            if (_byFile is null)
            {
                var byFile = new FileLines[Files.Count];
                var lastLine = new int[Files.Count];
                var lastSequence = new int[Files.Count];
                Array.Fill(lastLine, -1);
                int sequence = 0;
                for (int i = 0; i < _entries.Length; i++)
                {
                    var e = _entries[i];
                    if (e.IsEnd)
                    {
                        sequence++;
                        continue;
                    }
                    if (!e.IsStatement)
                        continue;
                    var f = byFile[e.File] ??= new FileLines();
                    if (lastLine[e.File] != e.Line || lastSequence[e.File] != sequence)
                    {
                        if (!f.BlockStarts.TryGetValue(e.Line, out var list))
                            f.BlockStarts[e.Line] = list = [];
                        list.Add(i);
                    }
                    lastLine[e.File] = e.Line;
                    lastSequence[e.File] = sequence;
                }
                foreach (var f in byFile)
                    if (f is not null)
                    {
                        f.Lines = [.. f.BlockStarts.Keys];
                        Array.Sort(f.Lines);
                    }
                _byFile = byFile;
            }
            return _byFile[file] ?? new FileLines();
        }
    }

    public ReadOnlySpan<LineEntry> Entries => _entries;

    /// <summary>The entry that gives the line of <paramref name="address"/>, or null.</summary>
    public LineEntry? Find(ulong address)
    {
        int i = LastAtOrBefore(address);
        if (i < 0 || _entries[i].IsEnd)
            return null;
        var e = _entries[i];
        if (!e.IsStatement)
            for (int j = i - 1; j >= 0 && _entries[j].Address == e.Address && !_entries[j].IsEnd; j--)
                if (_entries[j].IsStatement)
                    return _entries[j];
        return e;
    }

    /// <summary>Index of the last entry whose address is &lt;= <paramref name="address"/>, or -1.</summary>
    public int LastAtOrBefore(ulong address)
    {
        int lo = 0, hi = _entries.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_entries[mid].Address <= address)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    /// <summary>The end of the line range that starts at entry <paramref name="index"/>: the next entry's address.</summary>
    public ulong RangeEnd(int index)
    {
        ulong start = _entries[index].Address;
        for (int j = index + 1; j < _entries.Length; j++)
            if (_entries[j].Address > start)
                return _entries[j].Address;
        return start + 1;
    }
}
