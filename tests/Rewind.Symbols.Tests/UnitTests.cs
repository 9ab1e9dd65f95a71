using Rewind.Symbols.Values;

namespace Rewind.Symbols.Tests;

/// <summary>Small pieces checked without a compiler: registers, type names, scalars, LEB128.</summary>
public sealed class UnitTests
{
    [Fact]
    public void User_regs_map_to_dwarf_numbers()
    {
        // sys/user.h order: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp
        var words = Enumerable.Range(0, 27).Select(i => (ulong)(100 + i)).ToArray();
        var r = FrameRegisters.FromUserRegs(words);
        Assert.Equal(110ul, r[DwarfRegister.Rax]);
        Assert.Equal(112ul, r[DwarfRegister.Rdx]);
        Assert.Equal(111ul, r[DwarfRegister.Rcx]);
        Assert.Equal(105ul, r[DwarfRegister.Rbx]);
        Assert.Equal(113ul, r[DwarfRegister.Rsi]);
        Assert.Equal(114ul, r[DwarfRegister.Rdi]);
        Assert.Equal(104ul, r[DwarfRegister.Rbp]);
        Assert.Equal(119ul, r.Sp);
        Assert.Equal(109ul, r[DwarfRegister.R8]);
        Assert.Equal(100ul, r[DwarfRegister.R15]);
        Assert.Equal(116ul, r.Pc);
        Assert.Null(r[DwarfRegister.Xmm0]);
        Assert.Null(r[99]);
        Assert.Equal("rip", DwarfRegister.Name(16));
        Assert.Equal("xmm3", DwarfRegister.Name(20));
    }

    private static DebugType Base(string name, ulong size, int encoding) => new(TypeKind.Base) { Name = name, DeclaredSize = size, Encoding = encoding };

    [Fact]
    public void Type_names_read_like_c()
    {
        var @int = Base("int", 4, DwarfEncoding.Signed);
        var @char = Base("char", 1, DwarfEncoding.SignedChar);
        var constChar = new DebugType(TypeKind.Const) { Target = @char };
        var charPtr = new DebugType(TypeKind.Pointer) { Target = constChar };
        Assert.Equal("const char *", charPtr.DisplayName);
        Assert.Equal("char * const", new DebugType(TypeKind.Const) { Target = new DebugType(TypeKind.Pointer) { Target = @char } }.DisplayName);
        var fn = new DebugType(TypeKind.Function) { Target = @int, Parameters = [charPtr, @int] };
        Assert.Equal("int (*)(const char *, int)", new DebugType(TypeKind.Pointer) { Target = fn }.DisplayName);
        var grid = new DebugType(TypeKind.Array) { Target = @int, Dimensions = [2, 3] };
        Assert.Equal("int [2][3]", grid.DisplayName);
        Assert.Equal(24ul, grid.ByteSize);
        Assert.Equal("int (*)[2][3]", new DebugType(TypeKind.Pointer) { Target = grid }.DisplayName);
        Assert.Equal("char *[4]", new DebugType(TypeKind.Array) { Target = new DebugType(TypeKind.Pointer) { Target = @char }, Dimensions = [4] }.DisplayName);
        Assert.Equal("struct {...}", new DebugType(TypeKind.Struct).DisplayName);
        Assert.Equal("void (*)(void)", new DebugType(TypeKind.Pointer) { Target = new DebugType(TypeKind.Function) { Target = DebugType.Void } }.DisplayName);
    }

    [Fact]
    public void Scalars_format_like_gdb()
    {
        var context = new FormatContext(new Support.FakeMemory(), _ => null);
        string F(DebugType t, params byte[] b) => ValueFormatter.FormatScalar(t, b, context);
        Assert.Equal("-1", F(Base("int", 4, DwarfEncoding.Signed), 0xff, 0xff, 0xff, 0xff));
        Assert.Equal("4294967295", F(Base("unsigned int", 4, DwarfEncoding.Unsigned), 0xff, 0xff, 0xff, 0xff));
        Assert.Equal("0 '\\000'", F(Base("char", 1, DwarfEncoding.SignedChar), 0));
        Assert.Equal("39 '\\''", F(Base("char", 1, DwarfEncoding.SignedChar), 39));
        Assert.Equal("92 '\\\\'", F(Base("char", 1, DwarfEncoding.SignedChar), 92));
        Assert.Equal("27 '\\033'", F(Base("char", 1, DwarfEncoding.SignedChar), 27));
        Assert.Equal("true", F(Base("_Bool", 1, DwarfEncoding.Boolean), 1));
        Assert.Equal("2", F(Base("_Bool", 1, DwarfEncoding.Boolean), 2));
        Assert.Equal("inf", F(Base("double", 8, DwarfEncoding.Float), BitConverter.GetBytes(double.PositiveInfinity)));
        Assert.Equal("1.5", F(Base("float", 4, DwarfEncoding.Float), BitConverter.GetBytes(1.5f)));
        var color = new DebugType(TypeKind.Enum) { Name = "color", DeclaredSize = 4, Enumerators = [("RED", 0), ("BLUE", 2)] };
        Assert.Equal("BLUE", F(color, 2, 0, 0, 0));
        Assert.Equal("(BLUE | unknown: 0x1)", F(color, 3, 0, 0, 0));
        Assert.Equal("7", F(new DebugType(TypeKind.Enum) { DeclaredSize = 4, Enumerators = [("A", 3)] }, 7, 0, 0, 0));
        Assert.Equal("0x0", F(new DebugType(TypeKind.Pointer) { Target = Base("int", 4, DwarfEncoding.Signed) }, new byte[8]));
    }
}
