using Rewind.Checkpoints;

namespace Rewind.Core.Tests.Checkpoints;

public class SnapshotPolicyTests
{
    [Fact]
    public void Under_capacity_nothing_is_freed()
    {
        Assert.Empty(new SnapshotPolicy(4).Evict([0, 10, 20, 30], present: 35));
    }

    [Fact]
    public void Keeps_capacity_the_oldest_and_the_newest()
    {
        var policy = new SnapshotPolicy(8);
        var held = Enumerable.Range(0, 50).Select(i => (long)i * 100).ToList();
        var evicted = policy.Evict(held, present: 5000);
        var kept = held.Except(evicted).ToList();
        Assert.Equal(8, kept.Count);
        Assert.Contains(0L, kept);
        Assert.Contains(4900L, kept);
    }

    /// <summary>A replay moving forward takes a snapshot every 100 events and asks the policy each time, as a timeline would.</summary>
    [Fact]
    public void Snapshots_are_denser_near_the_present()
    {
        var policy = new SnapshotPolicy(12);
        var held = new List<long>();
        long present = 0;
        for (int step = 0; step < 2000; step++)
        {
            present = step * 100L;
            held.Add(present);
            foreach (long e in policy.Evict(held, present))
            {
                held.Remove(e);
            }
            Assert.True(held.Count <= 12);
        }
        held.Sort();
        var gaps = held.Zip(held.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[^1] * 8 < gaps[0], $"gaps {string.Join(", ", gaps)}");
        // Spacing grows with distance: no gap is much smaller than one nearer the present.
        for (int i = 1; i < gaps.Count; i++)
        {
            Assert.True(gaps[i - 1] * 3 >= gaps[i], $"gaps {string.Join(", ", gaps)}");
        }
    }

    [Fact]
    public void After_going_back_the_present_is_what_counts()
    {
        var policy = new SnapshotPolicy(6);
        var held = Enumerable.Range(0, 20).Select(i => (long)i * 100).ToList();
        var kept = held.Except(policy.Evict(held, present: 1000)).Order().ToList();
        // The snapshots just before and after event 1000 survive: that is where the user is.
        Assert.Contains(kept, e => e is >= 900 and <= 1000);
        Assert.Contains(kept, e => e is > 1000 and <= 1100);
    }

    [Fact]
    public void Capacity_below_two_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SnapshotPolicy(1));
    }
}
