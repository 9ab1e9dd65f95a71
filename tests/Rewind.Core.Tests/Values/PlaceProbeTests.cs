using Rewind.Replay;

namespace Rewind.Core.Tests.Values;

/// <summary>Which instructions a place probe may replace with its five-byte jump.</summary>
public sealed class PlaceProbeTests
{
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
        Assert.Equal(fits, PlaceProbe.Fits(instruction.Value));
    }

    private sealed class FixedMemory(ulong start, byte[] bytes) : IMemoryReader
    {
        public int Read(RemotePtr address, Span<byte> buffer)
        {
            long offset = (long)(address.Value - start);
            if (offset < 0 || offset >= bytes.Length)
            {
                return 0;
            }
            int n = Math.Min(buffer.Length, bytes.Length - (int)offset);
            bytes.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }
    }
}
