namespace Rewind.Symbols.Dwarf;

/// <summary>One attribute specification of an abbreviation.</summary>
internal readonly record struct AttributeSpec(ushort Name, ushort Form, long ImplicitConst);
