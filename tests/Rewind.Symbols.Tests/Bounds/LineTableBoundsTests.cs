using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests.Bounds;

/// <summary>Malformed .debug_line programs: a clean error for the module, never a crash or a hang.</summary>
public sealed class LineTableBoundsTests
{
    /// <summary>A compile unit with DW_AT_stmt_list 0 (abbreviation 7) over the given line table.</summary>
    private static Module WithLines(byte[] line)
    {
        var abbrev = new ByteWriter()
            .Uleb(7).Uleb(0x11).U8(0).Uleb(0x03).Uleb(0x08).Uleb(0x11).Uleb(0x01).Uleb(0x12).Uleb(0x07).Uleb(0x10).Uleb(0x17).U8(0, 0)
            .U8(0).ToArray();
        var dies = new ByteWriter().Uleb(7).CString("cu.c").U64(0x1000).U64(0x1000).U32(0).ToArray();
        return DwarfBuilder.Module(DwarfBuilder.Unit(dies), abbrev, (".debug_line", line));
    }

    /// <summary>A version 4 line table header with one file, then <paramref name="program"/>.</summary>
    internal static byte[] Table(byte[] program, byte lineRange = 14, uint? headerLength = null)
    {
        var header = new ByteWriter().U8(1, 1, 1, unchecked((byte)-5), lineRange, 13)
            .U8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1).U8(0) // standard opcode lengths, no include dirs
            .CString("a.c").Uleb(0).Uleb(0).Uleb(0).U8(0).ToArray();
        var w = new ByteWriter().U32(0).U16(4).U32(headerLength ?? (uint)header.Length).Bytes(header).Bytes(program);
        var bytes = w.ToArray();
        BitConverter.GetBytes((uint)(bytes.Length - 4)).CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] Rows() => new ByteWriter()
        .U8(0).Uleb(9).U8(2).U64(0x1000) // set_address
        .U8(5).Uleb(3)                   // set_column 3
        .U8(3).Sleb(9).U8(1)             // line 10, copy
        .U8(2).Uleb(8).U8(3).Sleb(1).U8(1) // +8, line 11
        .U8(2).Uleb(8).U8(0).Uleb(1).U8(1) // end_sequence at 0x1010
        .ToArray();

    [Fact]
    public void Good_table_maps_lines_both_ways()
    {
        var module = WithLines(Table(Rows()));
        var line = module.LineFor(new RemotePtr(0x1009));
        Assert.Equal(11, line?.Line);
        Assert.Equal("a.c", line?.FileName);
        Assert.Equal(0x1008ul, line?.Address.Value);
        Assert.Null(module.LineFor(new RemotePtr(0x1010)));
        Assert.Equal([0x1000ul], module.AddressesFor("a.c", 10).Select(l => l.Address.Value));
        Assert.Equal([0x1008ul], module.AddressesFor("a.c", 11).Select(l => l.Address.Value));
    }

    [Fact]
    public void Line_range_zero()
    {
        var module = WithLines(Table(Rows(), lineRange: 0));
        Assert.Contains("line_range 0", Assert.Throws<DebugInfoException>(() => module.LineFor(new RemotePtr(0x1000))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_longer_than_the_table()
    {
        var module = WithLines(Table(Rows(), headerLength: 0x7fff_0000));
        Assert.Contains("header longer than the table", Assert.Throws<DebugInfoException>(() => module.LineFor(new RemotePtr(0x1000))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_longer_than_the_section()
    {
        var table = Table(Rows());
        BitConverter.GetBytes(0x7fff_0000u).CopyTo(table, 0);
        var module = WithLines(table);
        Assert.Contains("beyond the end of .debug_line", Assert.Throws<DebugInfoException>(() => module.LineFor(new RemotePtr(0x1000))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extended_opcode_longer_than_the_program()
    {
        var module = WithLines(Table(new ByteWriter().U8(0).Uleb(1000).U8(2).ToArray()));
        Assert.Contains("bad extended opcode length", Assert.Throws<DebugInfoException>(() => module.LineFor(new RemotePtr(0x1000))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_set_address_size()
    {
        var module = WithLines(Table(new ByteWriter().U8(0).Uleb(4).U8(2).U8(1, 2, 3).ToArray()));
        Assert.Contains("unsupported value size 3", Assert.Throws<DebugInfoException>(() => module.LineFor(new RemotePtr(0x1000))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_stmt_list_past_the_section()
    {
        var abbrev = new ByteWriter().Uleb(7).Uleb(0x11).U8(0).Uleb(0x10).Uleb(0x17).U8(0, 0).U8(0).ToArray();
        var dies = new ByteWriter().Uleb(7).U32(0x10_0000).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(dies), abbrev, (".debug_line", Table(Rows())));
        Assert.Contains("past the end", Assert.Throws<DebugInfoException>(() => module.LineFor(new RemotePtr(0x1000))).Message, StringComparison.Ordinal);
    }
}
