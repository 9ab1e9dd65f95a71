namespace Rewind.Symbols.Expressions;

/// <summary>Where a piece of a value lives (DWARF 5 §2.6.1).</summary>
internal enum LocationKind
{
    /// <summary>No location: the value is optimized out.</summary>
    None,
    Memory,
    Register,
    /// <summary>DW_OP_stack_value: the value itself.</summary>
    Value,
    /// <summary>DW_OP_implicit_value: literal bytes.</summary>
    Bytes,
    /// <summary>DW_OP_implicit_pointer: a pointer to a value that has no address.</summary>
    ImplicitPointer,
}
