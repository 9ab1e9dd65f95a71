using Rewind.Cli.Gdb;
using Rewind.Replay;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>Watched ranges become aligned 1/2/4/8-byte pieces, as the debug registers need them.</summary>
public sealed class GdbWatchTests
{
    [Theory]
    [InlineData(0x1000ul, 4, new[] { 4 })]
    [InlineData(0x1000ul, 8, new[] { 8 })]
    [InlineData(0x1001ul, 4, new[] { 1, 2, 1 })]
    [InlineData(0x1004ul, 12, new[] { 4, 8 })]
    [InlineData(0x1003ul, 1, new[] { 1 })]
    public void RangesSplitIntoAlignedPieces(ulong address, int length, int[] sizes)
    {
        var watch = GdbWatch.Of(GdbWatchType.Write, address, length);
        Assert.Equal(sizes, watch.Pieces.Select(p => p.Length));
        Assert.All(watch.Pieces, p => Assert.Equal(0ul, p.Address.Value % (ulong)p.Length));
        Assert.Equal(address, watch.Pieces[0].Address.Value);
        Assert.Equal(address + (ulong)length, watch.Pieces[^1].Address.Value + (ulong)watch.Pieces[^1].Length);
    }

    [Theory]
    [InlineData(2, WatchKind.Write, "watch")]
    [InlineData(3, WatchKind.ReadWrite, "rwatch")]
    [InlineData(4, WatchKind.ReadWrite, "awatch")]
    public void KindsMapToWhatX86CanWatch(int zType, WatchKind kind, string key)
    {
        var watch = GdbWatch.Of((GdbWatchType)zType, 0x2000, 4);
        Assert.Equal(kind, watch.Pieces[0].Kind);
        Assert.Equal(key, watch.StopKey);
        Assert.True(watch.Covers(0x2003));
        Assert.False(watch.Covers(0x2004));
    }
}
