namespace Rewind.Symbols.Unwinding;

/// <summary>How to compute the canonical frame address: register + offset, or an expression.</summary>
internal readonly record struct CfaRule(int Register, long Offset, ReadOnlyMemory<byte> Expression = default)
{
    public bool IsExpression => !Expression.IsEmpty;
}
