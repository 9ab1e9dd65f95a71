namespace Rewind.Symbols.Tests.Support;

/// <summary>
/// Hand-made DWARF 5: one unit whose DIEs the caller writes. Abbreviations used by the tests:
/// 1 compile_unit (children; name string, low_pc addr, high_pc data8),
/// 2 subprogram (no children; name string, low_pc addr, high_pc data8, abstract_origin ref4),
/// 3 subprogram with children (name string, low_pc addr, high_pc data8),
/// 4 typedef (name string, type ref4), 5 variable (name string, type ref4, location exprloc),
/// 6 lexical_block with children (no attributes).
/// </summary>
internal static class DwarfBuilder
{
    public static byte[] Abbreviations() => new ByteWriter()
        .Uleb(1).Uleb(0x11).U8(1).Uleb(0x03).Uleb(0x08).Uleb(0x11).Uleb(0x01).Uleb(0x12).Uleb(0x07).U8(0, 0)
        .Uleb(2).Uleb(0x2e).U8(0).Uleb(0x03).Uleb(0x08).Uleb(0x11).Uleb(0x01).Uleb(0x12).Uleb(0x07).Uleb(0x31).Uleb(0x13).U8(0, 0)
        .Uleb(3).Uleb(0x2e).U8(1).Uleb(0x03).Uleb(0x08).Uleb(0x11).Uleb(0x01).Uleb(0x12).Uleb(0x07).U8(0, 0)
        .Uleb(4).Uleb(0x16).U8(0).Uleb(0x03).Uleb(0x08).Uleb(0x49).Uleb(0x13).U8(0, 0)
        .Uleb(5).Uleb(0x34).U8(0).Uleb(0x03).Uleb(0x08).Uleb(0x49).Uleb(0x13).Uleb(0x02).Uleb(0x18).U8(0, 0)
        .Uleb(6).Uleb(0x0b).U8(1).U8(0, 0)
        .U8(0).ToArray();

    /// <summary>A unit header (version 5, compile unit, 8-byte addresses) followed by <paramref name="dies"/>.</summary>
    public static byte[] Unit(byte[] dies, int version = 5)
    {
        var w = new ByteWriter().U32(0).U16((ushort)version);
        if (version >= 5)
            w.U8(1, 8).U32(0);
        else
            w.U32(0).U8(8);
        w.Bytes(dies);
        var bytes = w.ToArray();
        BitConverter.GetBytes((uint)(bytes.Length - 4)).CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>Offset of the first DIE in a version 5 unit.</summary>
    public const int FirstDie = 12;

    /// <summary>The compile unit DIE covering [0x1000, 0x2000).</summary>
    public static ByteWriter CompileUnit() => new ByteWriter().Uleb(1).CString("cu.c").U64(0x1000).U64(0x1000);

    public static Module Module(byte[] info, byte[]? abbrev = null, params (string, byte[])[] more) =>
        ElfBuilder.Module(ElfBuilder.Build([(".debug_info", info), (".debug_abbrev", abbrev ?? Abbreviations()), .. more]));
}
