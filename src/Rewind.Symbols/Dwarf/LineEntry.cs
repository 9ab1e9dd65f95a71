namespace Rewind.Symbols.Dwarf;

/// <summary>A row kept for lookups: the file is an index into <see cref="LineIndex.Files"/>; Line 0 ends a sequence.</summary>
internal readonly record struct LineEntry(ulong Address, int File, int Line, int Column, bool IsStatement, bool PrologueEnd)
{
    public bool IsEnd => Line == 0;
}
