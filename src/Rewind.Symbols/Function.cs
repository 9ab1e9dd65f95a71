using Rewind.Symbols.Dwarf;

namespace Rewind.Symbols;

/// <summary>A function of the program: from DWARF when it has debug information, else from an ELF symbol.</summary>
public sealed class Function
{
    internal Function(Module module, string name, RemotePtr start, RemotePtr end, Die? die)
    {
        Module = module;
        Name = name;
        Start = start;
        End = end;
        Die = die;
    }

    public Module Module { get; }

    public string Name { get; }

    /// <summary>Lowest address (relocated); for functions in several ranges, the lowest range's start.</summary>
    public RemotePtr Start { get; }

    public RemotePtr End { get; }

    public bool HasDebugInfo => Die is not null;

    internal Die? Die { get; }

    public bool Contains(RemotePtr address) => address >= Start && address < End;

    public override string ToString() => Name;
}
