namespace Rewind.Symbols;

public sealed partial class Module
{
    private ElfSymbol[]? _sortedSymbols;

    /// <summary>Function and object symbols by address, then name (gdb's minimal-symbol order).</summary>
    private ElfSymbol[] SortedSymbols
    {
        get
        {
            lock (_gate)
            {
                if (_sortedSymbols is null)
                {
                    IEnumerable<ElfSymbol> symbols = Elf.Symbols;
                    if (DebugElf is not null && !ReferenceEquals(DebugElf, Elf))
                    {
                        try
                        {
                            symbols = symbols.Concat(DebugElf.Symbols);
                        }
                        catch (DebugInfoException)
                        {
                            // Keep the module's own symbols.
                        }
                    }
                    _sortedSymbols = symbols
                        .Where(s => s.SectionIndex != 0 && s.SectionIndex < 0xff00 && (s.IsFunction || s.Kind is ElfSymbol.STT_OBJECT or 0))
                        .DistinctBy(s => (s.Value, s.Name))
                        .OrderBy(s => s.Value).ThenBy(s => s.Name, StringComparer.Ordinal)
                        .ToArray();
                }
                return _sortedSymbols;
            }
        }
    }

    /// <summary>
    /// The ELF symbol covering an address, chosen as gdb chooses a minimal symbol: the last
    /// symbol at or below it, preferring sized ones, refusing one the address is past the end of.
    /// </summary>
    public ElfSymbol? SymbolAt(RemotePtr address, bool functionsOnly = false)
    {
        ulong a = address.Value - LoadBias;
        var symbols = SortedSymbols;
        int lo = 0, hi = symbols.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (symbols[mid].Value <= a)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        int zeroSized = -1;
        int i = found;
        for (; i >= 0; i--)
        {
            var s = symbols[i];
            if (functionsOnly && !s.IsFunction && s.Kind != 0)
                continue;
            if (s.Size == 0)
            {
                if (zeroSized < 0)
                    zeroSized = i;
                continue;
            }
            break;
        }
        if (i >= 0 && a >= symbols[i].Value + symbols[i].Size)
            i = zeroSized;
        else if (i < 0)
            i = zeroSized;
        return i >= 0 ? symbols[i] : null;
    }

    /// <summary>"name" or "name+offset" for an address inside a symbol, as gdb prints &lt;...&gt;.</summary>
    public string? SymbolicName(RemotePtr address)
    {
        if (SymbolAt(address) is not { } s)
            return null;
        ulong offset = address.Value - LoadBias - s.Value;
        if (s.Size != 0 && offset >= s.Size)
            return null;
        return offset == 0 ? s.Name : $"{s.Name}+{offset}";
    }
}
