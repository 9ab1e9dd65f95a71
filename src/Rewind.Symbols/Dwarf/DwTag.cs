namespace Rewind.Symbols.Dwarf;

/// <summary>DW_TAG_* values (DWARF 5 §7.5.3, plus the GNU call-site tags of DWARF 4 producers).</summary>
internal static class DwTag
{
    public const ushort ArrayType = 0x01, ClassType = 0x02, EnumerationType = 0x04, FormalParameter = 0x05,
        LexicalBlock = 0x0b, Member = 0x0d, PointerType = 0x0f, ReferenceType = 0x10, CompileUnit = 0x11,
        StructureType = 0x13, SubroutineType = 0x15, Typedef = 0x16, UnionType = 0x17,
        UnspecifiedParameters = 0x18, InlinedSubroutine = 0x1d, SubrangeType = 0x21, BaseType = 0x24,
        ConstType = 0x26, Enumerator = 0x28, Subprogram = 0x2e, Variable = 0x34, VolatileType = 0x35,
        RestrictType = 0x37, UnspecifiedType = 0x3b, PartialUnit = 0x3c, RvalueReferenceType = 0x42,
        AtomicType = 0x47, CallSite = 0x48, CallSiteParameter = 0x49, SkeletonUnit = 0x4a,
        GnuCallSite = 0x4109, GnuCallSiteParameter = 0x410a;
}
