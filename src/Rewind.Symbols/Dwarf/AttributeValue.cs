namespace Rewind.Symbols.Dwarf;

/// <summary>
/// A decoded attribute: <see cref="Value"/> holds constants, offsets, indexes and references
/// (unit-relative references already made section-absolute); blocks and inline strings are
/// (<see cref="DataOffset"/>, <see cref="DataLength"/>) in .debug_info.
/// </summary>
internal readonly record struct AttributeValue(ushort Name, ushort Form, ulong Value, int DataOffset, int DataLength)
{
    public bool IsBlock => Form is DwForm.Block or DwForm.Block1 or DwForm.Block2 or DwForm.Block4 or DwForm.Exprloc;

    public bool IsReference => Form is DwForm.Ref1 or DwForm.Ref2 or DwForm.Ref4 or DwForm.Ref8 or DwForm.RefUdata or DwForm.RefAddr;

    public bool IsSigned => Form is DwForm.Sdata or DwForm.ImplicitConst;

    /// <summary>True for forms that are section offsets in DWARF 4 (data4/data8 there) and 5.</summary>
    public bool IsSectionOffset(int version) => Form == DwForm.SecOffset || (version < 4 && Form is DwForm.Data4 or DwForm.Data8);
}
