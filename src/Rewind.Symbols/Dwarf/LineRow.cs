namespace Rewind.Symbols.Dwarf;

/// <summary>One row of a line-number matrix (DWARF 5 §6.2.2); <see cref="File"/> indexes the table's files.</summary>
internal readonly record struct LineRow(ulong Address, int File, int Line, int Column, bool IsStatement, bool PrologueEnd, bool EndSequence, uint Discriminator);
