using System.Buffers;
using Rewind.Checkpoints;
using Rewind.Cpu;

namespace Rewind.Trace;

public sealed partial class TraceFile
{
    /// <summary>How many parts are read ahead of the one in use; more gained nothing measurable on our VM's disk.</summary>
    private const int ReadAhead = 2;

    private readonly Dictionary<int, List<ChunkInfo>> _checkpointParts = [];

    /// <summary>
    /// The complete image of checkpoint <paramref name="index"/>, every page in memory: an
    /// incremental checkpoint's own pages with those of its base (recursively) that it did not store.
    /// Restoring streams them instead (<see cref="ReadCheckpointPages"/>).
    /// </summary>
    public CheckpointImage Checkpoint(int index)
    {
        var layout = CheckpointLayout(index);
        var pages = new List<SavedPage>();
        ReadCheckpointPages(index, page => pages.Add(new SavedPage(page.Address, page.Data.ToArray())));
        pages.Sort((x, y) => x.Address.CompareTo(y.Address));
        int at = 0;
        var regions = new List<SavedRegion>(layout.Regions.Count);
        foreach (var region in layout.Regions)
        {
            // Pages come sorted, and each lies inside one region of the image.
            int from = at;
            while (at < pages.Count && pages[at].Address < region.End)
            {
                at++;
            }
            regions.Add(region with { Pages = pages[from..at] });
        }
        return layout with { Regions = regions };
    }

    /// <summary>
    /// Checkpoint <paramref name="index"/> without its pages: registers, signal state, program break
    /// and regions as they were at that moment, as a complete image (no base, no parts).
    /// </summary>
    public CheckpointImage CheckpointLayout(int index) => Restorable(index, () =>
    {
        var head = OnThisCpu(Head(index));
        return head with { Regions = [.. head.Regions.Select(r => r with { Pages = [], InheritsBase = false })], Base = null, Parts = 0 };
    });

    /// <summary>
    /// <paramref name="image"/> with each thread's FPU/vector state moved into this CPU's XSAVE layout
    /// (<see cref="XsaveLayout"/>). A trace without the recording CPU's CPUID was, as far as
    /// anything tells, recorded in this CPU's layout.
    /// </summary>
    private CheckpointImage OnThisCpu(CheckpointImage image)
    {
        var here = XsaveLayout.Of(CpuidTable.ThisCpu());
        var recorded = Header.Machine.Cpuid is { } cpuid ? XsaveLayout.Of(new CpuidTable(cpuid)) : here;
        byte[] Translate(byte[] state) => state.Length == 0 ? state : here.Translate(state, recorded);
        return image with
        {
            ExtendedState = Translate(image.ExtendedState),
            Threads = [.. image.Threads.Select(t => t with { State = t.State with { ExtendedState = Translate(t.State.ExtendedState) } })],
        };
    }

    /// <summary>
    /// Hands each page of checkpoint <paramref name="index"/>'s complete image to <paramref name="page"/>,
    /// in runs, each address once, newest first: the checkpoint's own pages, then, down its chain of
    /// bases, the pages it did not store where its regions inherit them. A run's data is valid only
    /// during the call: it lives in a pooled buffer, so a 1 GB image never sits in memory whole.
    /// </summary>
    public void ReadCheckpointPages(int index, Action<SavedPage> page) => Restorable(index, () =>
    {
        WalkChain(index, page);
        return true;
    });

    /// <summary>
    /// Verifies the checksums of every chunk a restore of checkpoint <paramref name="index"/>
    /// reads, without decompressing them: its own and its bases' Checkpoint, CheckpointPages and
    /// process state, and the files' Blob chunks. A restore meets a damaged one only when it comes
    /// to it, its process already started; this finds it first, and names it as the restore would.
    /// </summary>
    public void VerifyRestorable(int index) => Restorable(index, () =>
    {
        var chain = new HashSet<ulong>();
        for (int? level = index; level is { } at; level = Head(at).Base)
        {
            if (!_checkpoints.ContainsKey(at))
            {
                throw new TraceFormatException($"its base checkpoint {at} is missing");
            }
            chain.Add((ulong)at);
        }
        _reader.VerifyChecksums(_reader.Chunks.Where(c => c.Kind is ChunkKind.Blob or ChunkKind.Process
            || (c.Kind is ChunkKind.Checkpoint or ChunkKind.CheckpointPages or ChunkKind.CheckpointProcess && chain.Contains(c.Tag))));
        return true;
    });

    private void WalkChain(int index, Action<SavedPage> page)
    {
        var level = Head(index);
        var pending = new PendingPages(level.Regions.Select(r => (r.Start, r.End)));
        while (true)
        {
            foreach (var region in level.Regions)
            {
                DeliverPending(pending, level, region.Pages, page);
            }
            ReadParts(level, runs => DeliverPending(pending, level, runs, page));
            if (level.Base is not { } b || pending.IsEmpty)
            {
                return;
            }
            pending.KeepWithin([.. level.Regions.Where(r => r.InheritsBase).Select(r => (r.Start, r.End))]);
            if (!_checkpoints.ContainsKey(b))
            {
                throw new TraceFormatException($"its base checkpoint {b} is missing");
            }
            // The codec bounds a base below its checkpoint's index, so the chain ends.
            level = Head(b);
        }
    }

    private T Restorable<T>(int index, Func<T> read)
    {
        if (!_checkpoints.ContainsKey(index))
        {
            throw new RewindException($"the trace has no checkpoint {index} (it has {string.Join(", ", _checkpoints.Keys.Order())})");
        }
        try
        {
            return read();
        }
        catch (TraceFormatException e)
        {
            throw new TraceFormatException($"checkpoint {index} cannot be restored: {e.Message}");
        }
    }

    private CheckpointImage Head(int index) =>
        CheckpointCodec.Read(new ByteReader(_reader.ReadPayload(_checkpoints[index]), $"checkpoint {index}"));

    private static void DeliverPending(PendingPages pending, CheckpointImage level, IReadOnlyList<SavedPage> runs, Action<SavedPage> page)
    {
        var sorted = runs.OrderBy(r => r.Address).ToList();
        foreach (var run in sorted)
        {
            if (!level.Regions.Any(r => r.Start <= run.Address && run.End <= r.End))
            {
                throw new TraceFormatException($"checkpoint {level.Index} has pages at {run.Address} outside its regions");
            }
        }
        foreach (var piece in pending.Take(sorted))
        {
            page(piece);
        }
    }

    /// <summary>
    /// Decodes each part of <paramref name="head"/> into a pooled buffer and hands its runs to
    /// <paramref name="runs"/>; each part must be there once. The next parts are read and decoded
    /// on workers while the runs of this one are used (a restore writes them into the process):
    /// the disk, the decoder and the writer work at once.
    /// </summary>
    private void ReadParts(CheckpointImage head, Action<IReadOnlyList<SavedPage>> runs)
    {
        var chunks = _checkpointParts.GetValueOrDefault(head.Index) ?? [];
        var seen = new bool[head.Parts];
        var ahead = new Queue<Task<byte[]>>();
        try
        {
            for (int i = 0; i < chunks.Count; i++)
            {
                while (ahead.Count < ReadAhead && i + ahead.Count < chunks.Count)
                {
                    ahead.Enqueue(ReadPooled(chunks[i + ahead.Count]));
                }
                byte[] payload = ahead.Dequeue().GetAwaiter().GetResult();
                try
                {
                    var (index, part, partRuns) = CheckpointCodec.ReadPart(payload.AsMemory(0, chunks[i].RawLength), $"pages of checkpoint {head.Index}");
                    if (index != head.Index || part >= head.Parts || seen[part])
                    {
                        // A part of an earlier, unfinished attempt (the recorder was killed while persisting) is not ours.
                        continue;
                    }
                    seen[part] = true;
                    runs(partRuns);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(payload);
                }
            }
        }
        finally
        {
            // A failure left reads under way: their buffers go back when they are done.
            foreach (var read in ahead)
            {
                read.ContinueWith(t => ArrayPool<byte>.Shared.Return(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new TraceFormatException($"part {missing} of its {head.Parts} page chunks is missing");
        }
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

    /// <summary>Reads and decodes a chunk's payload on a worker, into a pooled buffer the caller returns.</summary>
    private Task<byte[]> ReadPooled(ChunkInfo chunk) => Task.Run(() =>
    {
        CpuPinning.ReleasePoolThread();
        byte[] payload = ArrayPool<byte>.Shared.Rent(chunk.RawLength);
        try
        {
            _reader.ReadPayload(chunk, payload.AsSpan(0, chunk.RawLength));
            return payload;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(payload);
            throw;
        }
    });

    /// <summary>
    /// What the summary says of a checkpoint, from its own chunks only (no merge): its moment says
    /// whether a replay starts from it (format 5). Before, the image of a process other than the
    /// first (a child's exec) is known by its threads, none of which is the first process's main
    /// thread (an image of the first process whose main thread had ended counts as one too: it is
    /// then not a start, which costs replay time only); that of the first process while children
    /// lived is not known.
    /// </summary>
    private CheckpointSummary CheckpointSummaryOf(int index)
    {
        var head = Head(index);
        long parts = _checkpointParts.GetValueOrDefault(index)?.Sum(c => (long)c.RawLength) ?? 0;
        var summary = new CheckpointSummary(head.Index, head.EventIndex, head.Time, head.StoredBytes + parts, head.Base);
        if (head.Moment is { } moment)
        {
            return summary.In(moment);
        }
        int? process = head.Threads.Count > 0 && !head.Threads.Any(t => t.Tid == ProcessId) ? head.Threads[0].Tid.Value : null;
        return summary with { Process = process };
    }
}
