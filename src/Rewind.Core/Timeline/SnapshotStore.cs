using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Timeline;

/// <summary>
/// Dormant fork snapshots of the replay at event boundaries, by event index. Bounded: past the
/// capacity, the snapshot whose neighbours are closest relative to its distance from the present
/// goes, so snapshots are dense near the present and sparse far from it (rr's logarithmic
/// policy). The snapshot at the start is never dropped. Each is a stopped process: disposing
/// the store kills them all. The checkpoints persisted in the trace are snapshots too: one that is
/// closer to where a replay must go than every snapshot in memory is restored and kept.
/// </summary>
internal sealed class SnapshotStore : IDisposable
{
    private const int Capacity = 32;

    private readonly SortedList<long, ReplaySession> _byEvent = [];
    private readonly TraceFile _trace;
    private readonly List<(long Event, int Index)> _persisted;
    private readonly int _debugged;

    /// <param name="debugged">The recorded pid of the process the replays restored from persisted checkpoints debug.</param>
    public SnapshotStore(TraceFile trace, ReplaySession first, int debugged)
    {
        _trace = trace;
        _debugged = debugged;
        _byEvent.Add(first.NextEvent, first);
        _persisted = [.. trace.Starts.Select(c => (c.EventIndex, c.Index)).OrderBy(c => c.EventIndex)];
    }

    public int Count => _byEvent.Count;

    /// <summary>The latest snapshot at an event boundary at or before <paramref name="eventIndex"/>.</summary>
    public ReplaySession AtOrBefore(long eventIndex)
    {
        var inMemory = InMemoryAtOrBefore(eventIndex);
        var persisted = _persisted.LastOrDefault(c => c.Event <= eventIndex);
        if (persisted.Event > inMemory.NextEvent)
        {
            var restored = ReplaySession.Start(_trace, persisted.Index, debugged: _debugged);
            _byEvent[restored.NextEvent] = restored;
            return restored;
        }
        return inMemory;
    }

    private ReplaySession InMemoryAtOrBefore(long eventIndex)
    {
        var keys = _byEvent.Keys;
        int lo = 0, hi = keys.Count - 1, found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (keys[mid] <= eventIndex)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return _byEvent.Values[found];
    }

    public bool Has(long eventIndex) => _byEvent.ContainsKey(eventIndex);

    /// <summary>Keeps a snapshot of <paramref name="live"/>, which stands at an event boundary.</summary>
    public void Take(ReplaySession live, long present)
    {
        if (Has(live.NextEvent) || !live.IsSettled)
        {
            return;
        }
        _byEvent.Add(live.NextEvent, live.Fork());
        while (_byEvent.Count > Capacity)
        {
            DropOne(present);
        }
    }

    private void DropOne(long present)
    {
        int victim = -1;
        double best = double.MaxValue;
        for (int i = 1; i < _byEvent.Count; i++)
        {
            long e = _byEvent.Keys[i];
            long gap = e - _byEvent.Keys[i - 1];
            double score = gap / (1.0 + Math.Abs(present - e));
            if (score < best)
            {
                best = score;
                victim = i;
            }
        }
        _byEvent.Values[victim].Dispose();
        _byEvent.RemoveAt(victim);
    }

    public void Dispose()
    {
        foreach (var s in _byEvent.Values)
        {
            s.Dispose();
        }
        _byEvent.Clear();
    }
}
