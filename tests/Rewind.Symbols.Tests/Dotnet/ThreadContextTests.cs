using System.Buffers.Binary;
using Rewind.Symbols.Dotnet;

namespace Rewind.Symbols.Tests.Dotnet;

/// <summary>
/// The registers the runtime's data-access library unwinds from land where Windows' x64 CONTEXT
/// (winnt.h) keeps them; the offsets are the header's, not taken from ClrMD's struct.
/// </summary>
public sealed class ThreadContextTests
{
    private const int ContextSize = 0x4d0;

    [Fact]
    public void Registers_land_at_the_CONTEXT_offsets()
    {
        var regs = new Registers { Rax = 0x1111, Rsp = 0x7fff_0000_1000, Rbp = 0x7fff_0000_2000, Rip = 0x5555_5555_4000, R15 = 0xf15, Eflags = 0x246, Cs = 0x33, Ss = 0x2b };
        var context = new byte[ContextSize];
        Assert.True(ThreadContext.Write(regs, context));

        Assert.Equal(0x100007u, BinaryPrimitives.ReadUInt32LittleEndian(context.AsSpan(0x30)));
        Assert.Equal((ushort)0x33, BinaryPrimitives.ReadUInt16LittleEndian(context.AsSpan(0x38)));
        Assert.Equal((ushort)0x2b, BinaryPrimitives.ReadUInt16LittleEndian(context.AsSpan(0x42)));
        Assert.Equal(0x246u, BinaryPrimitives.ReadUInt32LittleEndian(context.AsSpan(0x44)));
        Assert.Equal(0x1111ul, U64(context, 0x78));
        Assert.Equal(0x7fff_0000_1000ul, U64(context, 0x98));
        Assert.Equal(0x7fff_0000_2000ul, U64(context, 0xa0));
        Assert.Equal(0xf15ul, U64(context, 0xf0));
        Assert.Equal(0x5555_5555_4000ul, U64(context, 0xf8));
    }

    [Fact]
    public void A_buffer_smaller_than_a_CONTEXT_is_refused()
    {
        var context = new byte[ContextSize - 1];
        Assert.False(ThreadContext.Write(default, context));
        Assert.All(context, b => Assert.Equal(0, b));
    }

    private static ulong U64(byte[] context, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(context.AsSpan(offset));
}
