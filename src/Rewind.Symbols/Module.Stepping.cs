namespace Rewind.Symbols;

public sealed partial class Module
{
    /// <summary>
    /// Where a breakpoint on a function goes, after its prologue: the row marked prologue_end
    /// (clang), else the function's second row (gcc at -O0: gdb's prologue analysis stops
    /// after "push %rbp; mov %rsp,%rbp" and moves on to the next row), else its start.
    /// </summary>
    public RemotePtr AfterPrologue(Function function) => Guard(() => AfterPrologueCore(function));

    private RemotePtr AfterPrologueCore(Function function)
    {
        if (Lines is not { } lines)
            return function.Start;
        ulong start = function.Start.Value - LoadBias, end = function.End.Value - LoadBias;
        var entries = lines.Entries;
        int i = lines.LastAtOrBefore(start);
        if (i < 0)
            return function.Start;
        while (i > 0 && entries[i - 1].Address == start)
            i--;
        for (int j = i; j < entries.Length && entries[j].Address < end; j++)
        {
            var e = entries[j];
            if (e.Address >= start && !e.IsEnd && e.PrologueEnd)
                return new RemotePtr(e.Address + LoadBias);
        }
        for (int j = i; j < entries.Length && entries[j].Address < end; j++)
        {
            var e = entries[j];
            if (e.Address > start && !e.IsEnd && e.IsStatement)
                return new RemotePtr(e.Address + LoadBias);
        }
        return function.Start;
    }

    /// <summary>
    /// The addresses [Start, End) of the line-table row covering an address: a "step" stops
    /// once the pc leaves it for the start of another line.
    /// </summary>
    public (RemotePtr Start, RemotePtr End)? LineRangeAt(RemotePtr address) => Guard(() => LineRangeAtCore(address));

    private (RemotePtr Start, RemotePtr End)? LineRangeAtCore(RemotePtr address)
    {
        if (Lines is not { } lines)
            return null;
        int i = lines.LastAtOrBefore(address.Value - LoadBias);
        if (i < 0 || lines.Entries[i].IsEnd)
            return null;
        ulong start = lines.Entries[i].Address;
        return (new RemotePtr(start + LoadBias), new RemotePtr(lines.RangeEnd(i) + LoadBias));
    }

    /// <summary>Functions named <paramref name="name"/>, from the ELF symbols (for function breakpoints).</summary>
    public IReadOnlyList<Function> FunctionsNamed(string name)
    {
        var result = new List<Function>();
        foreach (var s in SortedSymbols)
            if (s.IsFunction && s.Name == name && FunctionAt(new RemotePtr(s.Value + LoadBias)) is { } f)
                result.Add(f);
        return result;
    }
}
