using System.Reflection;
using Rewind.Core.Tests.Codecs;

namespace Rewind.Core.Tests.Values;

public sealed class RegistersTests
{
    private static readonly string[] UserVisible =
        ["R15", "R14", "R13", "R12", "Rbp", "Rbx", "R11", "R10", "R9", "R8", "Rax", "Rcx", "Rdx", "Rsi", "Rdi", "Rip", "Rsp", "FsBase"];

    private static Registers With(Registers r, string field, ulong value)
    {
        object boxed = r;
        typeof(Registers).GetField(field)!.SetValue(boxed, value);
        return (Registers)boxed;
    }

    public static TheoryData<string> UserVisibleFields() => [.. UserVisible];

    [Theory]
    [MemberData(nameof(UserVisibleFields))]
    public void Any_general_register_difference_is_detected(string field)
    {
        var a = Samples.Registers(1);
        ulong original = (ulong)typeof(Registers).GetField(field)!.GetValue(a)!;
        Assert.False(a.SameUserState(With(a, field, original ^ 1)));
        Assert.False(a.SameUserState(With(a, field, original ^ (1UL << 63))));
        Assert.True(a.SameUserState(With(a, field, original)));
    }

    [Fact]
    public void Orig_rax_and_trap_and_resume_flags_are_ignored()
    {
        var a = Samples.Registers(1);
        var b = a;
        b.OrigRax = 12345;
        b.Eflags |= 0x100; // TF: set while single-stepping
        b.Eflags |= 0x10000; // RF
        Assert.True(a.SameUserState(b));
        Assert.True(b.SameUserState(a));
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(0x1UL)] // CF
    [InlineData(0x4UL)] // PF
    [InlineData(0x10UL)] // AF
    [InlineData(0x40UL)] // ZF
    [InlineData(0x80UL)] // SF
    [InlineData(0x800UL)] // OF
    public void Arithmetic_flags_are_compared(ulong flag)
    {
        var a = Samples.Registers(1);
        var b = a;
        b.Eflags ^= flag;
        Assert.False(a.SameUserState(b));
    }

    [Theory]
    [InlineData(0x10UL)] // AF: undefined after a shift, set otherwise by an Intel than by an AMD
    [InlineData(0x8d5UL)]
    public void Flags_left_out_are_ignored_in_eflags_and_in_r11_but_every_register_counts(ulong flags)
    {
        var a = Samples.Registers(1);
        var b = a;
        b.Eflags ^= flags;
        b.R11 ^= flags;
        Assert.True(a.SameUserState(b, Registers.ArithmeticFlags & ~flags));
        b.Rbx ^= 1;
        Assert.False(a.SameUserState(b, Registers.ArithmeticFlags & ~flags));
    }

    [Fact]
    public void Every_field_is_covered_by_the_byte_layout()
    {
        var fields = typeof(Registers).GetFields(BindingFlags.Public | BindingFlags.Instance);
        Assert.Equal(Registers.Size / 8, fields.Length);
        var a = Samples.Registers(3);
        var back = Registers.FromBytes(a.ToBytes());
        Assert.Equal(a, back);
        Assert.Equal(Registers.Size, a.ToBytes().Length);
        Assert.Equal(a.Rip, BitConverter.ToUInt64(a.ToBytes(), 16 * 8)); // user_regs_struct: rip is the 17th word
        Assert.Equal(a.OrigRax, BitConverter.ToUInt64(a.ToBytes(), 15 * 8));
        Assert.Throws<TraceFormatException>(() => Registers.FromBytes(new byte[Registers.Size - 1]));
    }

    [Fact]
    public void Syscall_arguments_follow_the_kernel_convention()
    {
        var r = Samples.Registers(1);
        Assert.Equal([r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9], r.Args());
        for (int i = 0; i < 6; i++)
        {
            r.SetArg(i, (ulong)(100 + i));
            Assert.Equal((ulong)(100 + i), r.Arg(i));
        }
        r.OrigRax = unchecked((ulong)-1);
        Assert.Equal(-1, r.SyscallNumber);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Arg(6));
    }
}
