using Rewind.Symbols.Dwarf;

namespace Rewind.Symbols;

public sealed partial class Module
{
    private Dictionary<string, ulong>? _functionAddresses;

    /// <summary>The DW_TAG_call_site in a function whose return address is <paramref name="returnAddress"/> (unrelocated).</summary>
    internal static Die? CallSiteAt(Die scope, ulong returnAddress) =>
        CallSites(scope).FirstOrDefault(c => ReturnPc(c) == returnAddress);

    /// <summary>Call sites anywhere in a function (its blocks and inlined calls included).</summary>
    internal static IEnumerable<Die> CallSites(Die scope)
    {
        var stack = new Stack<(Die, int)>();
        stack.Push((scope, 0));
        while (stack.Count > 0)
        {
            var (die, depth) = stack.Pop();
            foreach (var c in die.Children)
            {
                if (c.Tag is DwTag.CallSite or DwTag.GnuCallSite)
                    yield return c;
                else if (c.Children.Count > 0 && depth < MaxScopeDepth && c.Tag is DwTag.LexicalBlock or DwTag.InlinedSubroutine)
                    stack.Push((c, depth + 1));
            }
        }
    }

    internal static ulong? ReturnPc(Die callSite) =>
        callSite.Unit.Address(callSite, DwAt.CallReturnPc) ?? callSite.Unit.Address(callSite, DwAt.LowPc);

    internal static bool IsTailCall(Die callSite) =>
        callSite.Unit.Flag(callSite, DwAt.CallTailCall) || callSite.Unit.Flag(callSite, DwAt.GnuTailCall);

    /// <summary>The entry address (unrelocated) of a subprogram DIE: low_pc, entry_pc or its first range.</summary>
    internal static ulong? EntryOf(Die subprogram)
    {
        var u = subprogram.Unit;
        if (u.Address(subprogram, DwAt.LowPc) is { } low)
            return low;
        if (u.Address(subprogram, DwAt.EntryPc) is { } entry)
            return entry;
        var ranges = u.Ranges(subprogram);
        return ranges.Count > 0 ? ranges[0].Start : null;
    }

    /// <summary>
    /// Where a call site calls (relocated), when DWARF names the callee (DW_AT_call_origin):
    /// its definition's entry, or for a declaration the address of the symbol of that name.
    /// </summary>
    internal ulong? CallTarget(Die callSite, Func<string, ulong?> addressOfName)
    {
        var u = callSite.Unit;
        var origin = u.Reference(callSite, DwAt.CallOrigin) ?? u.Reference(callSite, DwAt.AbstractOrigin);
        if (origin is null)
            return null;
        if (!origin.Unit.Flag(origin, DwAt.Declaration) && EntryOf(origin) is { } entry)
            return entry + LoadBias;
        string? name = origin.Unit.FunctionName(origin);
        return name is null ? null : addressOfName(name);
    }

    /// <summary>The relocated address of a function symbol by name, or null.</summary>
    internal ulong? FunctionAddress(string name)
    {
        lock (_gate)
        {
            if (_functionAddresses is null)
            {
                _functionAddresses = [];
                foreach (var s in SortedSymbols)
                    if (s.IsFunction)
                        _functionAddresses.TryAdd(s.Name, s.Value);
            }
            return _functionAddresses.TryGetValue(name, out var a) ? a + LoadBias : null;
        }
    }
}
