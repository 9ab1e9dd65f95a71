namespace Rewind.Symbols.Dwarf;

/// <summary>DW_AT_* values used by Rewind (DWARF 5 §7.5.4 and GNU extensions).</summary>
internal static class DwAt
{
    public const ushort Sibling = 0x01, Location = 0x02, Name = 0x03, ByteSize = 0x0b, BitOffset = 0x0c,
        BitSize = 0x0d, StmtList = 0x10, LowPc = 0x11, HighPc = 0x12, Language = 0x13, CompDir = 0x1b,
        ConstValue = 0x1c, Inline = 0x20, LowerBound = 0x22, Producer = 0x25, UpperBound = 0x2f,
        AbstractOrigin = 0x31, Artificial = 0x34, Count = 0x37, DataMemberLocation = 0x38, DeclFile = 0x3a,
        DeclLine = 0x3b, Declaration = 0x3c, Encoding = 0x3e, External = 0x3f, FrameBase = 0x40,
        Specification = 0x47, Type = 0x49, EntryPc = 0x52, Ranges = 0x55, CallColumn = 0x57, CallFile = 0x58,
        CallLine = 0x59, Signature = 0x69, DataBitOffset = 0x6b, LinkageName = 0x6e, StrOffsetsBase = 0x72, AddrBase = 0x73,
        RnglistsBase = 0x74, CallReturnPc = 0x7d, CallValue = 0x7e, CallOrigin = 0x7f, CallPc = 0x81, CallTailCall = 0x82,
        LoclistsBase = 0x8c, GnuCallSiteValue = 0x2111, GnuTailCall = 0x2115, GnuRangesBase = 0x2132, GnuAddrBase = 0x2133;
}
