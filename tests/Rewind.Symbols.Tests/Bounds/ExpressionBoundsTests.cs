using Rewind.Symbols.Expressions;
using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests.Bounds;

/// <summary>DWARF expressions: correct results, and caps on loops and stack depth.</summary>
public sealed class ExpressionBoundsTests
{
    private static FrameContext Context()
    {
        var regs = new FrameRegisters();
        regs[DwarfRegister.Rbp] = 0x7000;
        regs[DwarfRegister.Rdi] = 42;
        return new FrameContext(regs, new FakeMemory().AddWords(0x7000, 0x1111, 0x2222), 0x5000) { Cfa = 0x7010 };
    }

    [Fact]
    public void Arithmetic_and_memory()
    {
        // breg6 +8; deref; lit2; mul  => 0x2222 * 2
        var expr = new ByteWriter().U8(0x76).Sleb(8).U8(0x06).U8(0x32).U8(0x1e).ToArray();
        Assert.Equal(0x4444ul, DwarfExpression.Compute(expr, Context()));
    }

    [Fact]
    public void Addr_is_relocated() =>
        Assert.Equal(0x5123ul, DwarfExpression.Compute(new ByteWriter().U8(0x03).U64(0x123).ToArray(), Context()));

    [Fact]
    public void Pieces_and_register_locations()
    {
        var pieces = DwarfExpression.Locate(new ByteWriter().U8(0x55).U8(0x93).Uleb(4).U8(0x93).Uleb(4).ToArray(), Context());
        Assert.Equal(2, pieces.Count);
        Assert.Equal(LocationKind.Register, pieces[0].Kind);
        Assert.Equal(5ul, pieces[0].Value);
        Assert.Equal(LocationKind.None, pieces[1].Kind);
    }

    [Fact]
    public void Unknown_register_is_unavailable_not_an_error() =>
        Assert.Null(DwarfExpression.Compute(new ByteWriter().U8(0x7c).Sleb(0).ToArray(), Context()));

    [Fact]
    public void Endless_loop_is_capped()
    {
        var loop = new ByteWriter().U8(0x2f).U16(unchecked((ushort)-3)).ToArray();
        Assert.Contains("more than", Assert.Throws<InvalidDataException>(() => DwarfExpression.Compute(loop, Context())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stack_overflow_is_capped()
    {
        // lit1; then dup forever (skip back over the dup).
        var grow = new ByteWriter().U8(0x31).U8(0x12).U8(0x2f).U16(unchecked((ushort)-4)).ToArray();
        Assert.Contains("stack deeper than", Assert.Throws<InvalidDataException>(() => DwarfExpression.Compute(grow, Context())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pop_of_an_empty_stack() =>
        Assert.Contains("empty stack", Assert.Throws<InvalidDataException>(() => DwarfExpression.Compute([0x22], Context())).Message, StringComparison.Ordinal);

    [Fact]
    public void Truncated_operand() =>
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => DwarfExpression.Compute([0x0e, 1, 2], Context())).Message, StringComparison.Ordinal);

    [Fact]
    public void Unknown_operation() =>
        Assert.Contains("unknown DWARF expression operation", Assert.Throws<InvalidDataException>(() => DwarfExpression.Compute([0xee], Context())).Message, StringComparison.Ordinal);
}
