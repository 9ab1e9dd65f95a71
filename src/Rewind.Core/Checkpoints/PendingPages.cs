namespace Rewind.Checkpoints;

/// <summary>
/// The addresses of a checkpoint's image whose pages are still to be found while its chain is
/// walked from the newest checkpoint down to the full one: sorted, disjoint ranges, which may
/// touch (ranges of two regions stay apart, so every piece taken lies in one region).
/// </summary>
public sealed class PendingPages
{
    private List<(RemotePtr Start, RemotePtr End)> _ranges;

    public PendingPages(IEnumerable<(RemotePtr Start, RemotePtr End)> ranges) =>
        _ranges = [.. ranges.Where(r => r.Start < r.End).OrderBy(r => r.Start)];

    public bool IsEmpty => _ranges.Count == 0;

    /// <summary>
    /// The parts of <paramref name="runs"/> (sorted, disjoint) that are still pending, as slices of
    /// their data; every address the runs cover is no longer pending afterwards.
    /// </summary>
    public List<SavedPage> Take(IReadOnlyList<SavedPage> runs)
    {
        var taken = new List<SavedPage>();
        if (runs.Count == 0 || IsEmpty)
        {
            return taken;
        }
        // Only the ranges between the first run's start and the last run's end change.
        int first = FirstEndingAfter(runs[0].Address);
        int last = first;
        while (last < _ranges.Count && _ranges[last].Start < runs[^1].End)
        {
            last++;
        }
        var kept = new List<(RemotePtr, RemotePtr)>();
        int r = 0;
        for (int i = first; i < last; i++)
        {
            var (at, end) = _ranges[i];
            while (at < end)
            {
                while (r < runs.Count && runs[r].End <= at)
                {
                    r++;
                }
                if (r == runs.Count || runs[r].Address >= end)
                {
                    kept.Add((at, end));
                    break;
                }
                var run = runs[r];
                if (run.Address > at)
                {
                    kept.Add((at, run.Address));
                    at = run.Address;
                }
                var stop = run.End < end ? run.End : end;
                taken.Add(new SavedPage(at, run.Data.Slice((int)(at - run.Address), (int)(stop - at))));
                at = stop;
            }
        }
        _ranges.RemoveRange(first, last - first);
        _ranges.InsertRange(first, kept);
        return taken;
    }

    /// <summary>Keeps only the addresses inside <paramref name="ranges"/> (sorted, disjoint, may touch).</summary>
    public void KeepWithin(IReadOnlyList<(RemotePtr Start, RemotePtr End)> ranges)
    {
        var kept = new List<(RemotePtr Start, RemotePtr End)>();
        int j = 0;
        foreach (var (start, end) in _ranges)
        {
            while (j < ranges.Count && ranges[j].End <= start)
            {
                j++;
            }
            for (int k = j; k < ranges.Count && ranges[k].Start < end; k++)
            {
                var from = ranges[k].Start > start ? ranges[k].Start : start;
                var to = ranges[k].End < end ? ranges[k].End : end;
                if (from < to)
                {
                    kept.Add((from, to));
                }
            }
        }
        _ranges = kept;
    }

    private int FirstEndingAfter(RemotePtr address)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_ranges[mid].End <= address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
