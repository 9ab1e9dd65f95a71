namespace Rewind.Symbols.Unwinding;

/// <summary>How a caller's register is recovered (DWARF 5 §6.4.1).</summary>
internal enum RegisterRuleKind
{
    Undefined,
    SameValue,
    /// <summary>Saved at CFA + N.</summary>
    Offset,
    /// <summary>The value is CFA + N.</summary>
    ValueOffset,
    /// <summary>Saved in another register.</summary>
    Register,
    /// <summary>Saved at the address the expression computes (CFA pushed first).</summary>
    Expression,
    /// <summary>The value is what the expression computes (CFA pushed first).</summary>
    ValueExpression,
}
