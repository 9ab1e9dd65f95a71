using Rewind.Replay;

namespace Rewind.Core.Tests.Values;

/// <summary>Which instructions a place probe may replace with its five-byte jump, or a short jump to a relay.</summary>
public sealed class PlaceProbeTests
{
    /// <summary>
    /// gcc -O2 code: __do_global_dtors_aux's end (ret at 0x11c4, a ret at 0x11c8 that a jne
    /// enters, padding to 0x11d0), frame_dummy (a jmp at 0x11d4, padding to 0x11e0), then a
    /// xorshift loop of three- and four-byte instructions at 0x11f0-0x1212 and its ret.
    /// </summary>
    private const string XorshiftLoop =
        "f30f1efa803d8d2e000000752b5548833d3a2e0000004889e5740c488b3d6e2e0000e8a9feffffe864ffffffc605652e0000015dc30f1f00c30f1f8000000000"
        + "f30f1efae977ffffff0f1f8000000000"
        + "4889f8b980d1f0084883c8010f1f40004889c248c1e20d4831d04889c248c1ea074831c24889d048c1e0114831d04883e90175dcc3000000";

    [Theory]
    // mov ecx, [rip+0x2e02]: six bytes, reads relative to the pc, which the moved copy keeps.
    [InlineData("8b0d022e0000", true)]
    // jmp qword ptr [rip+0x18e52], a PLT entry.
    [InlineData("ff25528e0100", true)]
    // vpcmpeqb k1{k2}, ymm17, [rsi]: EVEX, seven bytes.
    [InlineData("62f375223f0e00", true)]
    // jne rel32.
    [InlineData("0f8522010000", true)]
    // call rel32: the moved copy would push the trampoline's address.
    [InlineData("e800010000", false)]
    // call qword ptr [rip+0x1000].
    [InlineData("ff1500100000", false)]
    // add rdx, 1: four bytes, shorter than the jump.
    [InlineData("4883c201", false)]
    // syscall.
    [InlineData("0f05", false)]
    public void Fits_instructions_of_five_bytes_or_more_that_run_the_same_anywhere(string hex, bool fits)
    {
        var code = new FixedMemory(0x555555555000, Convert.FromHexString(hex));
        var instruction = PlaceProbe.Decode(code, new RemotePtr(0x555555555000));
        Assert.NotNull(instruction);
        Assert.Equal(fits, PlaceProbe.Fits(code, instruction.Value));
    }

    [Theory]
    [InlineData(0x11f0UL)]
    [InlineData(0x11f7UL)]
    [InlineData(0x120bUL)]
    [InlineData(0x1212UL)]
    public void A_short_instruction_fits_with_dead_padding_after_a_jump_or_return_nearby(ulong pc)
    {
        var code = Page(XorshiftLoop);
        Assert.True(PlaceProbe.Fits(code, PlaceProbe.Decode(code, new RemotePtr(pc))!.Value));
    }

    [Fact]
    public void Padding_that_code_falls_into_is_no_relay()
    {
        // frame_dummy's jmp and the rets before it become no-ops: every padding is then run through.
        string hex = XorshiftLoop.Replace("e977ffffff", "0f1f440000", StringComparison.Ordinal).Replace("5dc3", "5d90", StringComparison.Ordinal).Replace("00c30f1f80", "00900f1f80", StringComparison.Ordinal);
        var code = Page(hex);
        Assert.False(PlaceProbe.Fits(code, PlaceProbe.Decode(code, new RemotePtr(0x11f7))!.Value));
    }

    /// <summary>The code at 0x1190 in its page, which starts at 0x1000 (zeros before it, as the ELF header's page holds).</summary>
    private static FixedMemory Page(string hex) => new(0x1000, [.. new byte[0x190], .. Convert.FromHexString(hex)]);
}
