namespace Rewind.Checkpoints;

/// <summary>
/// Which in-memory replay snapshots (fork checkpoints) to keep: at most <see cref="Capacity"/>,
/// denser near the present, like rr's logarithmic policy. Going back a short way must be cheap;
/// going back far may re-run more. A snapshot is worth as much as the gap its loss would open,
/// measured against its distance from the present: the one whose removal opens the smallest
/// gap for its distance goes first, so spacing grows in proportion to distance and the kept
/// snapshots' count grows with the log of the trace length. The oldest and the newest stay.
/// </summary>
public sealed class SnapshotPolicy
{
    public SnapshotPolicy(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Capacity = capacity;
    }

    public static SnapshotPolicy Default { get; } = new(16);

    public int Capacity { get; }

    /// <summary>
    /// The snapshots to free, given the event indexes of those held and the present event index,
    /// so that at most <see cref="Capacity"/> remain. The order of <paramref name="snapshots"/> does not matter.
    /// </summary>
    public IReadOnlyList<long> Evict(IEnumerable<long> snapshots, long present)
    {
        var kept = snapshots.Distinct().Order().ToList();
        var evicted = new List<long>();
        while (kept.Count > Capacity)
        {
            int victim = 1;
            double best = double.MaxValue;
            for (int i = 1; i < kept.Count - 1; i++)
            {
                double gap = kept[i + 1] - kept[i - 1];
                double distance = Math.Max(1, Math.Abs(present - kept[i]));
                double cost = gap / distance;
                if (cost < best)
                {
                    best = cost;
                    victim = i;
                }
            }
            evicted.Add(kept[victim]);
            kept.RemoveAt(victim);
        }
        return evicted;
    }
}
