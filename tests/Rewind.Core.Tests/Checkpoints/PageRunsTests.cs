using Rewind.Checkpoints;

namespace Rewind.Core.Tests.Checkpoints;

public class PageRunsTests
{
    private const int Page = 4096;

    private static SavedPage Run(ulong page, int pages, byte fill) =>
        new(new RemotePtr(page * Page), Enumerable.Repeat(fill, pages * Page).ToArray());

    private static byte[] Flatten(IEnumerable<SavedPage> runs, ulong pages)
    {
        var memory = new byte[pages * Page];
        foreach (var r in runs)
        {
            r.Data.Span.CopyTo(memory.AsSpan((int)r.Address.Value));
        }
        return memory;
    }

    [Fact]
    public void Over_pages_win_and_under_pages_fill_the_rest()
    {
        var under = new[] { Run(0, 4, 1), Run(6, 4, 2) };
        var over = new[] { Run(1, 1, 9), Run(3, 4, 8) };
        var merged = PageRuns.Overlay(under, over, new RemotePtr(0), new RemotePtr(12 * Page));
        var memory = Flatten(merged, 12);
        byte[] expected = [1, 9, 1, 8, 8, 8, 8, 2, 2, 2, 0, 0];
        Assert.Equal(expected, Enumerable.Range(0, 12).Select(p => memory[p * Page]).ToArray());
        Assert.True(merged.Zip(merged.Skip(1)).All(p => p.First.End <= p.Second.Address));
    }

    [Fact]
    public void Runs_are_clipped_to_the_region()
    {
        var merged = PageRuns.Overlay([Run(0, 10, 1)], [Run(8, 4, 2)], new RemotePtr(2 * Page), new RemotePtr(9 * Page));
        Assert.Equal(7 * Page, merged.Sum(r => r.Data.Length));
        Assert.Equal(new RemotePtr(2 * Page), merged[0].Address);
        Assert.Equal(new RemotePtr(9 * Page), merged[^1].End);
    }
}
