namespace Rewind.Checkpoints;

/// <summary>Operations on sorted, non-overlapping runs of pages, slicing rather than copying their data.</summary>
public static class PageRuns
{
    /// <summary>
    /// The runs of <paramref name="under"/> clipped to [start, end), with every page that
    /// <paramref name="over"/> also holds taken from <paramref name="over"/>: an incremental
    /// checkpoint's pages laid over its base's. Both inputs are sorted by address.
    /// </summary>
    public static List<SavedPage> Overlay(IReadOnlyList<SavedPage> under, IReadOnlyList<SavedPage> over, RemotePtr start, RemotePtr end)
    {
        var result = new List<SavedPage>(over.Count + under.Count);
        foreach (var run in over)
        {
            AddClipped(result, run, start, end);
        }
        int o = 0;
        foreach (var run in under)
        {
            var at = run.Address < start ? start : run.Address;
            var stop = run.End > end ? end : run.End;
            // Skip the over runs that end before this piece.
            while (o < over.Count && over[o].End <= at)
            {
                o++;
            }
            for (int k = o; at < stop; k++)
            {
                var next = k < over.Count && over[k].Address < stop ? over[k] : null;
                var gapEnd = next == null ? stop : next.Address > at ? next.Address : at;
                if (gapEnd > at)
                {
                    result.Add(Slice(run, at, gapEnd));
                }
                if (next == null)
                {
                    break;
                }
                at = next.End > at ? next.End : at;
            }
        }
        result.Sort((a, b) => a.Address.CompareTo(b.Address));
        return result;
    }

    /// <summary>The runs that lie in [start, end), clipped to it.</summary>
    public static List<SavedPage> Clip(IEnumerable<SavedPage> runs, RemotePtr start, RemotePtr end)
    {
        var result = new List<SavedPage>();
        foreach (var run in runs)
        {
            AddClipped(result, run, start, end);
        }
        return result;
    }

    private static void AddClipped(List<SavedPage> result, SavedPage run, RemotePtr start, RemotePtr end)
    {
        var from = run.Address < start ? start : run.Address;
        var to = run.End > end ? end : run.End;
        if (from < to)
        {
            result.Add(from == run.Address && to == run.End ? run : Slice(run, from, to));
        }
    }

    private static SavedPage Slice(SavedPage run, RemotePtr from, RemotePtr to) =>
        new(from, run.Data.Slice((int)(from - run.Address), (int)(to - from)));
}
