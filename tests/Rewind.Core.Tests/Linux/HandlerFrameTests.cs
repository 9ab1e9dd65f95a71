using System.Buffers.Binary;
using Rewind.Core.Tests.Cpu;
using Rewind.Cpu;
using Rewind.Linux;

namespace Rewind.Core.Tests.Linux;

public sealed class HandlerFrameTests
{
    [Fact]
    public void A_signal_frame_holds_every_user_component_but_amx_tile_data()
    {
        // Measured: the software bytes of a handler's frame say 2432 on the Zen 5 VM (no PKRU there);
        // on the Emerald Rapids VM the frame of the trace traces/xeon-queued-signals.rwd sits 2816 + 4 bytes below its top.
        Assert.Equal(2432, XsaveLayout.OfSignalFrames(CpuidDumps.Zen5).Size);
        Assert.Equal(2816, XsaveLayout.OfSignalFrames(CpuidDumps.EmeraldRapids).Size);
        Assert.Equal(0x202e7ul, XsaveLayout.OfSignalFrames(CpuidDumps.EmeraldRapids).Features);
        Assert.Equal(0x988, XsaveLayout.OfSignalFrames(CpuidDumps.Epyc).Size);
        Assert.False(XsaveLayout.OfSignalFrames(CpuidDumps.Xeon).Components.ContainsKey(18));
        Assert.True(XsaveLayout.Of(CpuidDumps.Xeon).Components.ContainsKey(18));
        Assert.False(XsaveLayout.OfSignalFrames(CpuidDumps.Zen5).SameAs(XsaveLayout.OfSignalFrames(CpuidDumps.EmeraldRapids)));
        Assert.True(XsaveLayout.OfSignalFrames(CpuidDumps.Zen5).SameAs(XsaveLayout.OfSignalFrames(CpuidDumps.Zen5)));
    }

    [Theory]
    // A handler's ucontext at 0x7ffdaa742340 and its state at 0x7ffdaa742500, interrupted at
    // 0x7ffdaa742f40 on the Zen 5 VM; the frame of the SIGRT2 handler interrupted at
    // 0x7fffffffd230, which the recording on the Emerald Rapids VM started at 0x7fffffffc4b8.
    [InlineData(0x7ffdaa742f40ul, 2432, 0x7ffdaa742500ul, 0x7ffdaa742338ul)]
    [InlineData(0x7fffffffd230ul, 2816, 0x7fffffffc680ul, 0x7fffffffc4b8ul)]
    public void A_frame_starts_below_the_red_zone_under_its_state_as_linux_builds_it(ulong sp, int size, ulong state, ulong start)
    {
        Assert.Equal(state, HandlerFrame.StateBelow(HandlerFrame.BelowRedZone(sp), size));
        Assert.Equal(start, HandlerFrame.StartBelow(HandlerFrame.BelowRedZone(sp), size));
    }

    [Fact]
    public void A_frame_on_the_alternate_stack_starts_at_its_top_unless_the_stack_was_on_it_already()
    {
        const ulong altStack = 0x10000, altStackSize = 0x4000;
        var entering = Frame(at: altStack + 0x3000, interrupted: 0x7fff0000, altStack, altStackSize);
        Assert.Equal(altStack + altStackSize, entering.Top);
        var nested = Frame(at: altStack + 0x2000, interrupted: altStack + 0x3800, altStack, altStackSize);
        Assert.Equal(altStack + 0x3800 - 128, nested.Top);
        var off = Frame(at: 0x7ffefff000, interrupted: 0x7fff0000, altStack, altStackSize);
        Assert.Equal(0x7fff0000ul - 128, off.Top);
    }

    [Fact]
    public void A_frame_laid_elsewhere_takes_the_fields_the_kernel_writes_and_keeps_the_stacks_other_bytes()
    {
        var zen5 = XsaveLayout.OfSignalFrames(CpuidDumps.Zen5);
        var xeon = XsaveLayout.OfSignalFrames(CpuidDumps.EmeraldRapids);
        var sigInfo = new byte[128];
        sigInfo[0] = 10;
        var frame = Frame(at: 0x7000, interrupted: 0x8000, 0, 0, sigInfo);
        var state = new byte[zen5.Size];
        state[0] = 0x7f; // FCW's low byte
        BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(512), 0b111); // XSTATE_BV: x87, SSE, AVX
        state[zen5.Components[2].Offset] = 0xa5;

        ulong stateAt = HandlerFrame.StateBelow(0x8000 - 128, xeon.Size);
        ulong windowStart = stateAt - HandlerFrame.HeadLength;
        var window = new byte[xeon.Size + 4 + HandlerFrame.HeadLength];
        window.AsSpan().Fill(0xee);
        ulong start = frame.LayInto(window, windowStart, stateAt, xeon, xeon.Translate(state, zen5), frame.HoldsInfo(sigInfo));

        Assert.Equal(windowStart, start);
        var head = window.AsSpan(0, HandlerFrame.HeadLength);
        Assert.Equal(frame.Head.AsSpan(0, 36).ToArray(), head[..36].ToArray());
        Assert.Equal([0xee, 0xee, 0xee, 0xee], head[36..40].ToArray()); // after ss_flags
        Assert.Equal(stateAt, BinaryPrimitives.ReadUInt64LittleEndian(head[232..]));
        Assert.All(head[240..304].ToArray(), b => Assert.Equal(0xee, b)); // sigcontext's reserved words
        Assert.Equal(sigInfo, head[312..440].ToArray());
        Assert.All(head[440..].ToArray(), b => Assert.Equal(0xee, b));
        var laid = window.AsSpan(HandlerFrame.HeadLength);
        Assert.Equal(0x7f, laid[0]);
        Assert.Equal(0xa5, laid[xeon.Components[2].Offset]);
        Assert.Equal(0x46505853u, BinaryPrimitives.ReadUInt32LittleEndian(laid[464..]));
        Assert.Equal((uint)xeon.Size + 4, BinaryPrimitives.ReadUInt32LittleEndian(laid[468..]));
        Assert.Equal(xeon.Features, BinaryPrimitives.ReadUInt64LittleEndian(laid[472..]));
        Assert.Equal((uint)xeon.Size, BinaryPrimitives.ReadUInt32LittleEndian(laid[480..]));
        Assert.Equal(0x46505845u, BinaryPrimitives.ReadUInt32LittleEndian(laid[xeon.Size..]));
    }

    [Fact]
    public void A_handler_without_a_siginfo_keeps_the_stacks_bytes_where_the_kernel_would_have_put_one()
    {
        var sigInfo = new byte[128];
        sigInfo[0] = 10;
        var written = Frame(at: 0x7000, interrupted: 0x8000, 0, 0, sigInfo);
        Assert.True(written.HoldsInfo(sigInfo));
        var stale = Frame(at: 0x7000, interrupted: 0x8000, 0, 0, Enumerable.Repeat((byte)0x33, 128).ToArray());
        Assert.False(stale.HoldsInfo(sigInfo));
    }

    /// <summary>A head as the kernel writes one at <paramref name="at"/>, for a thread interrupted at <paramref name="interrupted"/> with the alternate stack given.</summary>
    private static HandlerFrame Frame(ulong at, ulong interrupted, ulong altStack, ulong altStackSize, byte[]? sigInfo = null)
    {
        var head = new byte[HandlerFrame.HeadLength];
        new Random(7).NextBytes(head);
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(24), altStack);
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(40), altStackSize);
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(168), interrupted);
        sigInfo?.CopyTo(head, 312);
        return new HandlerFrame(new RemotePtr(at), head, []);
    }
}
