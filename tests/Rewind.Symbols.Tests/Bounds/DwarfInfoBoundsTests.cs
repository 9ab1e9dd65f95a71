using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests.Bounds;

/// <summary>
/// Malformed .debug_info and .debug_abbrev: the module reports a clean error and keeps its
/// ELF symbols and CFI; lookups throw <see cref="DebugInfoException"/>, never crash or hang.
/// </summary>
public sealed class DwarfInfoBoundsTests
{
    private static readonly RemotePtr Inside = new(0x1800);

    [Fact]
    public void Good_unit_finds_its_function()
    {
        var dies = DwarfBuilder.CompileUnit().Uleb(2).CString("work").U64(0x1700).U64(0x200).U32(0).U8(0).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(dies));
        Assert.Equal("work", module.FunctionAt(Inside)?.Name);
    }

    [Fact]
    public void Unit_longer_than_the_section()
    {
        var info = DwarfBuilder.Unit(DwarfBuilder.CompileUnit().U8(0).ToArray());
        BitConverter.GetBytes(0x7000_0000u).CopyTo(info, 0);
        var module = DwarfBuilder.Module(info);
        Assert.False(module.HasDebugInfo);
        Assert.Contains("beyond the end of .debug_info", module.DebugInfoError, StringComparison.Ordinal);
        Assert.Null(module.FunctionAt(Inside));
    }

    [Fact]
    public void Unsupported_version()
    {
        var info = DwarfBuilder.Unit(DwarfBuilder.CompileUnit().U8(0).ToArray());
        info[4] = 9;
        var module = DwarfBuilder.Module(info);
        Assert.Contains("unsupported DWARF version 9", module.DebugInfoError, StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_abbreviation()
    {
        var dies = DwarfBuilder.CompileUnit().Uleb(77).U8(0).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(dies));
        var e = Assert.Throws<DebugInfoException>(() => module.FunctionAt(Inside));
        Assert.Contains("undefined abbreviation 77", e.Message, StringComparison.Ordinal);
        Assert.Contains("/test/lib.so", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Abbreviation_table_without_terminator()
    {
        var abbrev = new ByteWriter().Uleb(1).Uleb(0x11).U8(1).Uleb(0x03).Uleb(0x08).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(DwarfBuilder.CompileUnit().U8(0).ToArray()), abbrev);
        var e = Assert.Throws<DebugInfoException>(() => module.FunctionAt(Inside));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Abbreviation_defined_twice()
    {
        var abbrev = new ByteWriter().Uleb(1).Uleb(0x11).U8(1).U8(0, 0).Uleb(1).Uleb(0x11).U8(1).U8(0, 0).U8(0).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(new ByteWriter().Uleb(1).U8(0).ToArray()), abbrev);
        Assert.Contains("defined twice", Assert.Throws<DebugInfoException>(() => module.FunctionAt(Inside)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endless_leb128()
    {
        var dies = new ByteWriter().Bytes(Enumerable.Repeat((byte)0x80, 200).ToArray()).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(dies));
        Assert.Contains("LEB128 longer than", Assert.Throws<DebugInfoException>(() => module.FunctionAt(Inside)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Block_longer_than_the_unit()
    {
        // A variable whose exprloc claims a gigabyte.
        var dies = DwarfBuilder.CompileUnit().Uleb(5).CString("v").U32(0).Uleb(1 << 30).U8(0).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(dies));
        Assert.Contains("past the end", Assert.Throws<DebugInfoException>(() => module.FunctionAt(Inside)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_cap()
    {
        var w = DwarfBuilder.CompileUnit();
        for (int i = 0; i < 5000; i++)
            w.Uleb(6);
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(w.ToArray()));
        Assert.Contains("nesting deeper than", Assert.Throws<DebugInfoException>(() => module.FunctionAt(Inside)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Circular_abstract_origins_end()
    {
        // Two subprograms whose abstract origins point at each other, and neither has... a name loop.
        int first = DwarfBuilder.FirstDie + 1 + 5 + 16;
        var w = DwarfBuilder.CompileUnit();
        int a = w.Length + DwarfBuilder.FirstDie;
        Assert.Equal(first, a);
        int sizeOfSub = 1 + 2 + 16 + 4;
        w.Uleb(2).CString("").U64(0x1700).U64(0x200).U32((uint)(a + sizeOfSub));
        w.Uleb(2).CString("").U64(0x1f00).U64(0x10).U32((uint)a);
        w.U8(0);
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(w.ToArray()));
        var f = module.FunctionAt(Inside);
        Assert.NotNull(f);
    }

    [Fact]
    public void Circular_typedef_ends()
    {
        var w = DwarfBuilder.CompileUnit();
        int t = w.Length + DwarfBuilder.FirstDie;
        w.Uleb(4).CString("loop").U32((uint)t);
        w.U8(0);
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(w.ToArray()));
        var die = module.Dwarf!.DieAt((ulong)t);
        var type = module.Types.Read(die);
        Assert.Equal(TypeKind.Typedef, type.Kind);
        Assert.Equal("loop", type.DisplayName);
        Assert.Equal(TypeKind.Typedef, type.Resolved.Kind); // gave up after the cap, no hang
        Assert.Equal(0ul, type.ByteSize);
    }

    [Fact]
    public void Reference_outside_every_unit()
    {
        var dies = DwarfBuilder.CompileUnit().Uleb(2).CString("f").U64(0x1700).U64(0x200).U32(0x7fff_0000).U8(0).ToArray();
        var module = DwarfBuilder.Module(DwarfBuilder.Unit(dies));
        Assert.Equal("f", module.FunctionAt(Inside)?.Name);
    }
}
