namespace Rewind.Symbols.Dwarf;

/// <summary>DW_FORM_* values (DWARF 5 §7.5.6 and GNU split-DWARF / dwz extensions).</summary>
internal static class DwForm
{
    public const ushort Addr = 0x01, Block2 = 0x03, Block4 = 0x04, Data2 = 0x05, Data4 = 0x06, Data8 = 0x07,
        String = 0x08, Block = 0x09, Block1 = 0x0a, Data1 = 0x0b, Flag = 0x0c, Sdata = 0x0d, Strp = 0x0e,
        Udata = 0x0f, RefAddr = 0x10, Ref1 = 0x11, Ref2 = 0x12, Ref4 = 0x13, Ref8 = 0x14, RefUdata = 0x15,
        Indirect = 0x16, SecOffset = 0x17, Exprloc = 0x18, FlagPresent = 0x19, Strx = 0x1a, Addrx = 0x1b,
        RefSup4 = 0x1c, StrpSup = 0x1d, Data16 = 0x1e, LineStrp = 0x1f, RefSig8 = 0x20, ImplicitConst = 0x21,
        Loclistx = 0x22, Rnglistx = 0x23, RefSup8 = 0x24, Strx1 = 0x25, Strx2 = 0x26, Strx3 = 0x27,
        Strx4 = 0x28, Addrx1 = 0x29, Addrx2 = 0x2a, Addrx3 = 0x2b, Addrx4 = 0x2c, GnuAddrIndex = 0x1f01,
        GnuStrIndex = 0x1f02, GnuRefAlt = 0x1f20, GnuStrpAlt = 0x1f21;
}
