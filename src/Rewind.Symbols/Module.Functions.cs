using Rewind.Symbols.Dwarf;

namespace Rewind.Symbols;

public sealed partial class Module
{
    private const int MaxScopeDepth = 256;

    private (AddressRange Range, DwarfUnit Unit)[]? _unitRanges;
    private List<DwarfUnit>? _unitsWithoutRanges;
    private readonly Dictionary<ulong, (AddressRange Range, Die Die)[]> _unitFunctions = [];

    /// <summary>Sorted ranges of every unit, read from the unit DIEs alone.</summary>
    private (AddressRange Range, DwarfUnit Unit)[] UnitRanges(DwarfInfo dwarf)
    {
        lock (_gate)
        {
            if (_unitRanges is null)
            {
                var list = new List<(AddressRange, DwarfUnit)>();
                var without = new List<DwarfUnit>();
                foreach (var u in dwarf.Units)
                {
                    if (u.UnitType is 2 or 6)
                        continue;
                    var ranges = u.Ranges(u.Header);
                    if (ranges.Count == 0)
                        without.Add(u);
                    foreach (var r in ranges)
                        list.Add((r, u));
                }
                list.Sort((a, b) => a.Item1.Start.CompareTo(b.Item1.Start));
                _unitRanges = [.. list];
                _unitsWithoutRanges = without;
            }
            return _unitRanges;
        }
    }

    internal IEnumerable<DwarfUnit> UnitsAt(ulong address)
    {
        if (Dwarf is not { } dwarf)
            yield break;
        var ranges = Guard(() => UnitRanges(dwarf));
        int lo = 0, hi = ranges.Length - 1, last = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ranges[mid].Range.Start <= address)
            {
                last = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        // Unit ranges rarely overlap; look back a bounded distance for those that do.
        for (int i = last; i >= 0 && i > last - 64; i--)
            if (ranges[i].Range.Contains(address))
                yield return ranges[i].Unit;
        foreach (var u in _unitsWithoutRanges!)
            yield return u;
    }

    private (AddressRange Range, Die Die)[] FunctionsOf(DwarfUnit unit)
    {
        lock (_unitFunctions)
        {
            if (!_unitFunctions.TryGetValue(unit.Offset, out var functions))
            {
                var list = new List<(AddressRange, Die)>();
                var stack = new Stack<(Die, int)>();
                stack.Push((unit.Root, 0));
                while (stack.Count > 0)
                {
                    var (die, depth) = stack.Pop();
                    foreach (var c in die.Children)
                    {
                        if (c.Tag == DwTag.Subprogram)
                        {
                            foreach (var r in unit.Ranges(c))
                                list.Add((r, c));
                        }
                        else if (depth < MaxScopeDepth && c.Children.Count > 0 && c.Tag is not (DwTag.StructureType or DwTag.UnionType or DwTag.EnumerationType))
                        {
                            stack.Push((c, depth + 1));
                        }
                    }
                }
                list.Sort((a, b) => a.Item1.Start.CompareTo(b.Item1.Start));
                _unitFunctions[unit.Offset] = functions = [.. list];
            }
            return functions;
        }
    }

    /// <summary>The subprogram DIE covering an unrelocated address.</summary>
    internal Die? SubprogramAt(ulong address)
    {
        return Guard(() =>
        {
            foreach (var unit in UnitsAt(address))
            {
                var functions = FunctionsOf(unit);
                int lo = 0, hi = functions.Length - 1, last = -1;
                while (lo <= hi)
                {
                    int mid = (lo + hi) >>> 1;
                    if (functions[mid].Range.Start <= address)
                    {
                        last = mid;
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid - 1;
                    }
                }
                // The innermost (latest-starting) function covering the address; overlaps are rare.
                for (int i = last; i >= 0 && i > last - 64; i--)
                    if (functions[i].Range.Contains(address))
                        return functions[i].Die;
            }
            return null;
        });
    }

    /// <summary>
    /// The scopes containing an unrelocated address, outermost first: the subprogram, then the
    /// lexical blocks and inlined subroutines nested in it that cover the address.
    /// </summary>
    internal List<Die> ScopesAt(Die subprogram, ulong address)
    {
        var chain = new List<Die> { subprogram };
        var current = subprogram;
        while (chain.Count < MaxScopeDepth)
        {
            Die? next = null;
            foreach (var c in current.Children)
            {
                if (c.Tag is not (DwTag.LexicalBlock or DwTag.InlinedSubroutine))
                    continue;
                var ranges = c.Unit.Ranges(c);
                if (ranges.Any(r => r.Contains(address)))
                {
                    next = c;
                    break;
                }
            }
            if (next is null)
                break;
            chain.Add(next);
            current = next;
        }
        return chain;
    }

    /// <summary>The function covering an address: from DWARF when it can, else from the ELF symbols.</summary>
    public Function? FunctionAt(RemotePtr address) => Guard(() => FunctionAtCore(address));

    private Function? FunctionAtCore(RemotePtr address)
    {
        ulong a = address.Value - LoadBias;
        if (SubprogramAt(a) is { } die)
        {
            var ranges = die.Unit.Ranges(die);
            ulong start = ranges.Count > 0 ? ranges.Min(r => r.Start) : a;
            ulong end = ranges.Count > 0 ? ranges.Max(r => r.End) : a + 1;
            string name = die.Unit.FunctionName(die) ?? SymbolAt(address, functionsOnly: true)?.Name ?? "??";
            return new Function(this, name, new RemotePtr(start + LoadBias), new RemotePtr(end + LoadBias), die);
        }
        if (SymbolAt(address, functionsOnly: true) is { } s)
            return new Function(this, s.Name, new RemotePtr(s.Value + LoadBias), new RemotePtr(s.Value + Math.Max(s.Size, 1) + LoadBias), null);
        return null;
    }

    /// <summary>File of a DW_AT_decl_file / DW_AT_call_file index in a unit's line table.</summary>
    internal string? FileName(DwarfUnit unit, ulong index)
    {
        var table = LineTableOf(unit);
        return table is not null && index < (ulong)table.Files.Count ? table.Files[(int)index] : null;
    }
}
