namespace Rewind.Symbols.Dwarf;

/// <summary>A half-open range of unrelocated addresses [Start, End).</summary>
internal readonly record struct AddressRange(ulong Start, ulong End)
{
    public bool Contains(ulong address) => address >= Start && address < End;
}
