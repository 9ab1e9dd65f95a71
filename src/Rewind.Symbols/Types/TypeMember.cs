namespace Rewind.Symbols;

/// <summary>A struct or union member; <see cref="BitSize"/> is 0 unless it is a bitfield.</summary>
public sealed record TypeMember(string? Name, DebugType Type, ulong ByteOffset, int BitSize, ulong BitOffset);
