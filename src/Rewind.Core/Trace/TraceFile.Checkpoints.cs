using Rewind.Checkpoints;

namespace Rewind.Trace;

public sealed partial class TraceFile
{
    private readonly Dictionary<int, List<ChunkInfo>> _checkpointParts = [];

    /// <summary>
    /// The complete image of checkpoint <paramref name="index"/>: an incremental checkpoint is laid
    /// over its base (recursively) and its CheckpointPages chunks are gathered, so the result has
    /// every stored page and needs nothing else to be restored.
    /// </summary>
    public CheckpointImage Checkpoint(int index)
    {
        if (!_checkpoints.ContainsKey(index))
        {
            throw new RewindException($"the trace has no checkpoint {index} (it has {string.Join(", ", _checkpoints.Keys.Order())})");
        }
        try
        {
            return Merged(index, depth: 0);
        }
        catch (TraceFormatException e)
        {
            throw new TraceFormatException($"checkpoint {index} cannot be restored: {e.Message}");
        }
    }

    private CheckpointImage Merged(int index, int depth)
    {
        if (!_checkpoints.TryGetValue(index, out var chunk))
        {
            throw new TraceFormatException($"its base checkpoint {index} is missing");
        }
        var head = CheckpointCodec.Read(new ByteReader(_reader.ReadPayload(chunk), $"checkpoint {index}"));
        var runs = PartRuns(head);
        CheckpointImage? below = null;
        if (head.Base is { } b)
        {
            // The codec bounds a base below its checkpoint's index, so this recursion ends.
            below = Merged(b, depth + 1);
        }
        var regions = new List<SavedRegion>(head.Regions.Count);
        int at = 0;
        foreach (var region in head.Regions)
        {
            var own = new List<SavedPage>(region.Pages);
            while (at < runs.Count && runs[at].Address < region.End)
            {
                if (runs[at].Address < region.Start || runs[at].End > region.End)
                {
                    throw new TraceFormatException($"checkpoint {index} has pages at {runs[at].Address} outside its regions");
                }
                own.Add(runs[at++]);
            }
            own.Sort((x, y) => x.Address.CompareTo(y.Address));
            var pages = region.InheritsBase && below != null
                ? PageRuns.Overlay(PageRuns.Clip(below.Regions.Where(r => r.End > region.Start && r.Start < region.End).SelectMany(r => r.Pages), region.Start, region.End), own, region.Start, region.End)
                : own;
            regions.Add(region with { Pages = pages, InheritsBase = false });
        }
        if (at < runs.Count)
        {
            throw new TraceFormatException($"checkpoint {index} has pages at {runs[at].Address} outside its regions");
        }
        return head with { Regions = regions, Base = null, Parts = 0 };
    }

    /// <summary>The runs of every part of <paramref name="head"/>, sorted by address; each part must be there once.</summary>
    private List<SavedPage> PartRuns(CheckpointImage head)
    {
        var chunks = _checkpointParts.GetValueOrDefault(head.Index) ?? [];
        var seen = new bool[head.Parts];
        var runs = new List<SavedPage>();
        foreach (var chunk in chunks)
        {
            var (index, part, partRuns) = CheckpointCodec.ReadPart(_reader.ReadPayload(chunk), $"pages of checkpoint {head.Index}");
            if (index != head.Index || part >= head.Parts || seen[part])
            {
                // A part of an earlier, unfinished attempt (the recorder was killed while persisting) is not ours.
                continue;
            }
            seen[part] = true;
            runs.AddRange(partRuns);
        }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new TraceFormatException($"part {missing} of its {head.Parts} page chunks is missing");
        }
        runs.Sort((x, y) => x.Address.CompareTo(y.Address));
        return runs;
    }

    private void AddCheckpointPart(ChunkInfo chunk)
    {
        int index = (int)chunk.Tag;
        if (!_checkpointParts.TryGetValue(index, out var list))
        {
            _checkpointParts[index] = list = [];
        }
        list.Add(chunk);
    }

    /// <summary>What the summary says of a checkpoint, from its own chunks only (no merge).</summary>
    private CheckpointSummary CheckpointSummaryOf(int index)
    {
        var head = CheckpointCodec.Read(new ByteReader(_reader.ReadPayload(_checkpoints[index]), $"checkpoint {index}"));
        long parts = _checkpointParts.GetValueOrDefault(index)?.Sum(c => (long)c.RawLength) ?? 0;
        return new CheckpointSummary(head.Index, head.EventIndex, head.Time, head.StoredBytes + parts, head.Base);
    }
}
