using Rewind.Checkpoints;

namespace Rewind.Core.Tests.Checkpoints;

/// <summary>A chain of checkpoints is walked newest first: each address takes the newest page stored for it, once.</summary>
public sealed class PendingPagesTests
{
    private const int Page = 4096;

    private static RemotePtr At(ulong page) => new(page * Page);

    private static SavedPage Run(ulong page, int pages, byte fill) => new(At(page), Enumerable.Repeat(fill, pages * Page).ToArray());

    /// <summary>The first byte of each page of [0, pages) after the taken pieces are written over zeros.</summary>
    private static byte[] Written(IEnumerable<SavedPage> pieces, int pages)
    {
        var memory = new byte[pages * Page];
        foreach (var piece in pieces)
        {
            Assert.True(memory.AsSpan((int)piece.Address.Value, piece.Data.Length).IndexOfAnyExcept((byte)0) < 0, $"{piece.Address} was written twice");
            piece.Data.Span.CopyTo(memory.AsSpan((int)piece.Address.Value));
        }
        return [.. Enumerable.Range(0, pages).Select(p => memory[p * Page])];
    }

    [Fact]
    public void Newer_pages_win_and_older_ones_fill_the_rest()
    {
        var pending = new PendingPages([(At(0), At(12))]);
        var pieces = pending.Take([Run(1, 1, 9), Run(3, 4, 8)]);
        pieces.AddRange(pending.Take([Run(0, 4, 1), Run(6, 4, 2)]));

        Assert.Equal([1, 9, 1, 8, 8, 8, 8, 2, 2, 2, 0, 0], Written(pieces, 12));
        Assert.False(pending.IsEmpty);
        pending.Take([Run(10, 2, 3)]);
        Assert.True(pending.IsEmpty);
    }

    [Fact]
    public void Pieces_stay_inside_regions_that_touch()
    {
        var pending = new PendingPages([(At(4), At(6)), (At(2), At(4))]);
        var pieces = pending.Take([Run(0, 8, 5)]);

        Assert.Equal([(At(2), At(4)), (At(4), At(6))], pieces.Select(p => (p.Address, p.End)));
    }

    [Fact]
    public void Keeping_only_inherited_ranges_drops_the_rest()
    {
        var pending = new PendingPages([(At(0), At(10))]);
        pending.Take([Run(2, 2, 7)]);
        pending.KeepWithin([(At(1), At(3)), (At(3), At(5)), (At(8), At(20))]);
        var pieces = pending.Take([Run(0, 10, 4)]);

        Assert.Equal([0, 4, 0, 0, 4, 0, 0, 0, 4, 4], Written(pieces, 10));
    }
}
