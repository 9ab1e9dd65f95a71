namespace Rewind.Symbols.Unwinding;

/// <summary>One register column of a CFI row.</summary>
internal readonly record struct RegisterRule(RegisterRuleKind Kind, long Offset = 0, int Register = 0, ReadOnlyMemory<byte> Expression = default);
