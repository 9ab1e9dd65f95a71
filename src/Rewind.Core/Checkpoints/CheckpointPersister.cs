using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;
using Rewind.Recording;
using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>
/// Writes a stopped snapshot process into the trace while the recorded program runs on
/// (shared/DESIGN.md §5). Runs on worker threads; needs no ptrace. The memory is compared
/// slice by slice, and what a slice stores becomes one CheckpointPages chunk, so a 1 GB image
/// never sits in memory whole and every buffer is a pooled one of the slice's size. A page is
/// stored only when it differs from what the reader would otherwise rebuild: the base
/// checkpoint's page (when there is a base snapshot, still alive, to compare with), else the
/// mapped file's bytes or zeros. Without soft-dirty bits (this kernel has
/// no CONFIG_MEM_SOFT_DIRTY) the page map's frame numbers do the same job: a page whose frame is
/// the base snapshot's frame at that address is the same copy-on-write page, unchanged.
/// The Checkpoint chunk goes last: a recorder killed halfway leaves no half checkpoint.
/// </summary>
internal sealed class CheckpointPersister
{
    private const int PageSize = AddressSpace.PageSize;
    private const int SlicePages = 1024;

    private readonly TraceWriter _writer;
    private readonly SnapshotState _state;
    private readonly SnapshotMemory _memory;
    private readonly SnapshotMemory? _base;
    private readonly BaseSnapshot? _baseInfo;
    private int _parts;
    private long _stored;

    private CheckpointPersister(TraceWriter writer, SnapshotState state, SnapshotMemory memory, SnapshotMemory? baseMemory, BaseSnapshot? baseInfo)
    {
        _writer = writer;
        _state = state;
        _memory = memory;
        _base = baseMemory;
        _baseInfo = baseInfo;
    }

    /// <summary>Persists the snapshot <paramref name="pid"/>, incrementally over <paramref name="baseSnapshot"/> when given.</summary>
    public static CheckpointSummary Persist(TraceWriter writer, BlobStore blobs, SnapshotState state, int pid, BaseSnapshot? baseSnapshot, long pauseMicros)
    {
        var clock = Stopwatch.StartNew();
        using var memory = new SnapshotMemory(pid);
        using var baseMemory = baseSnapshot != null ? new SnapshotMemory(baseSnapshot.Pid) : null;
        var persister = new CheckpointPersister(writer, state, memory, baseMemory, baseSnapshot);
        var regions = state.Regions.Select(r => persister.Prepare(r, blobs)).ToList();
        try
        {
            var slices = regions.SelectMany(r => Enumerable.Range(0, (int)((r.Region.Length / PageSize + SlicePages - 1) / SlicePages)).Select(i => (r, i))).ToList();
            try
            {
                Parallel.ForEach(
                    slices,
                    new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                    slice =>
                    {
                        CpuPinning.ReleasePoolThread();
                        persister.PersistSlice(slice.r, slice.i);
                    });
            }
            catch (AggregateException e)
            {
                // The slices' failures are one failure (a full disk, a snapshot gone): the first says why.
                ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }
            var image = new CheckpointImage(state.Index, state.EventIndex, state.Time, state.Registers, state.ExtendedState,
                state.BlockedSignals, state.SignalActions, state.ProgramBreak,
                regions.Select(r => new SavedRegion(r.Region.Start, r.Region.End, r.Region.Protection, r.Region.Shared, r.Region.Name, r.File, [], r.Inherits,
                    r.Region.Shared && r.Region.IsFile || r.View ? (r.Region.Device, r.Region.Inode, r.Region.FileOffset) : null, state.IsSealed(r.Region))).ToList(),
                baseSnapshot?.Index, persister._parts, state.Threads, state.Moment) { Filters = state.Filters };
            var w = new ByteWriter();
            CheckpointCodec.Write(w, image);
            writer.WriteChunk(ChunkKind.Checkpoint, (ulong)state.Index, w.WrittenSpan);
        }
        finally
        {
            foreach (var r in regions)
            {
                r.FileHandle?.Dispose();
            }
        }
        var summary = new CheckpointSummary(state.Index, state.EventIndex, state.Time, persister._stored, baseSnapshot?.Index, pauseMicros, (long)clock.Elapsed.TotalMicroseconds);
        return state.Moment is { } moment ? summary.In(moment) : summary;
    }

    /// <summary>
    /// A region with what its comparison needs: the file behind it, whether pages come from the
    /// base, and whether it is a private mapping replay makes from its file's stand-in
    /// (<see cref="SnapshotState.FrozenFiles"/> holds the file).
    /// </summary>
    private sealed record Prepared(MemoryRegion Region, FileMapping? File, SafeFileHandle? FileHandle, long FileSize, bool Inherits, IReadOnlyList<MemoryRegion> BaseRegions,
        SafeFileHandle? Frozen, bool View);

    private Prepared Prepare(MemoryRegion region, BlobStore blobs)
    {
        FileMapping? file = null;
        SafeFileHandle? handle = null;
        long size = 0;
        var frozen = region.IsFile && _state.FrozenFiles.TryGetValue((region.Device, region.Inode), out var copy) ? copy : null;
        string name = region.Name.EndsWith(" (deleted)", StringComparison.Ordinal) ? region.Name[..^10] : region.Name;
        if (!region.Shared && frozen != null)
        {
            // A private view: the file's bytes under it as frozen, and the pages the process wrote.
            size = RandomAccess.GetLength(frozen);
            long window = Math.Clamp(size - (long)region.FileOffset, 0, (long)region.Length);
            file = new FileMapping(name, blobs.Add($"/proc/self/fd/{frozen.DangerousGetHandle()}", (long)region.FileOffset, window), region.FileOffset, (ulong)size);
            return new Prepared(region, file, null, size, false, [], null, View: true);
        }
        // A file no way opens (deleted, to a recorder without the capability map_files needs) is
        // saved as memory: every page of the region, over zeros.
        if (region.IsFile && !region.Shared && MappedFile.PathOf(_memory.Pid, region) is { } open)
        {
            handle = File.OpenHandle(open);
            (var id, size) = blobs.Add(open, name);
            file = new FileMapping(name, id, region.FileOffset, (ulong)size);
        }
        var overlapping = _baseInfo?.Regions.Where(b => b.End > region.Start && b.Start < region.End).ToList() ?? [];
        // Pages may come from the base only where the base's region has the same backing, so that
        // "the base's page, or else the region's base bytes" means the same bytes in both.
        bool inherits = !region.Shared && overlapping.Count > 0 && overlapping.All(b => SameBacking(region, b));
        return new Prepared(region, file, handle, size, inherits, inherits ? overlapping : [], region.Shared ? frozen : null, View: false);
    }

    private static bool SameBacking(MemoryRegion a, MemoryRegion b) =>
        !b.Shared && a.IsFile == b.IsFile
        && (!a.IsFile || a.Inode == b.Inode && a.Name == b.Name && unchecked(a.Start.Value - a.FileOffset) == unchecked(b.Start.Value - b.FileOffset));

    private enum Need : byte
    {
        Skip,
        CompareRegionBase,
        CompareBase,
        Keep,
    }

    private void PersistSlice(Prepared p, int sliceIndex)
    {
        var region = p.Region;
        if (region.Shared && _state.KeptFiles.Contains((region.Device, region.Inode)))
        {
            return;
        }
        var start = region.Start + (ulong)sliceIndex * SlicePages * PageSize;
        int pages = (int)Math.Min(SlicePages, (region.End - start) / PageSize);
        var entries = new ulong[pages];
        _memory.ReadPageMap(start, entries);
        var baseEntries = new ulong[pages];
        var inBase = new bool[pages];
        if (p.Inherits)
        {
            _base!.ReadPageMap(start, baseEntries);
            foreach (var b in p.BaseRegions)
            {
                for (int i = 0; i < pages; i++)
                {
                    var at = start + (ulong)i * PageSize;
                    inBase[i] |= at >= b.Start && at < b.End;
                }
            }
        }
        var needs = new Need[pages];
        bool any = false;
        for (int i = 0; i < pages; i++)
        {
            needs[i] = p.View ? OwnPage(entries[i]) : Classify(region.Shared, entries[i], baseEntries[i], inBase[i]);
            any |= needs[i] != Need.Skip;
        }
        if (!any)
        {
            return;
        }
        int length = pages * PageSize;
        // Pooled: fresh 4 MiB buffers per slice would churn the large object heap, and every new
        // page costs the VM a host fault. The expected bytes' buffer holds the chunk's payload after.
        byte[] actual = ArrayPool<byte>.Shared.Rent(length);
        byte[] expected = ArrayPool<byte>.Shared.Rent(CheckpointCodec.PartBound(pages, length));
        try
        {
            CompareSlice(p, start, pages, needs, actual, expected);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(actual);
            ArrayPool<byte>.Shared.Return(expected);
        }
    }

    private void CompareSlice(Prepared p, RemotePtr start, int pages, Need[] needs, byte[] actual, byte[] expected)
    {
        var region = p.Region;
        int length = pages * PageSize;
        expected.AsSpan(0, length).Clear();
        if (p.Frozen is { } frozen)
        {
            long at = (long)(region.FileOffset + (start - region.Start));
            int n = at < RandomAccess.GetLength(frozen) ? RandomAccess.Read(frozen, actual.AsSpan(0, length), at) : 0;
            actual.AsSpan(n, length - n).Clear();
        }
        else
        {
            ReadRuns(_memory, start, needs, n => n != Need.Skip, actual);
        }
        if (p.FileHandle != null)
        {
            long at = (long)(region.FileOffset + (start - region.Start));
            int n = at < p.FileSize ? RandomAccess.Read(p.FileHandle, expected.AsSpan(0, length), at) : 0;
            expected.AsSpan(n, length - n).Clear();
        }
        if (p.Inherits)
        {
            ReadRuns(_base!, start, needs, n => n == Need.CompareBase, expected);
        }
        var store = new bool[pages];
        for (int i = 0; i < pages; i++)
        {
            store[i] = needs[i] == Need.Keep || needs[i] != Need.Skip
                && !actual.AsSpan(i * PageSize, PageSize).SequenceEqual(expected.AsSpan(i * PageSize, PageSize));
        }
        if (Array.IndexOf(store, true) < 0)
        {
            return;
        }
        // The comparison is done: the expected bytes' buffer takes the payload.
        int part = Interlocked.Increment(ref _parts) - 1;
        int written = CheckpointCodec.WritePartHeader(expected, _state.Index, part);
        int runStart = -1;
        for (int i = 0; i <= pages; i++)
        {
            bool stored = i < pages && store[i];
            if (stored && runStart < 0)
            {
                runStart = i;
            }
            else if (!stored && runStart >= 0)
            {
                written += CheckpointCodec.WriteRun(expected.AsSpan(written), start + (ulong)runStart * PageSize, actual.AsSpan(runStart * PageSize, (i - runStart) * PageSize));
                Interlocked.Add(ref _stored, (i - runStart) * PageSize);
                runStart = -1;
            }
        }
        _writer.WriteChunk(ChunkKind.CheckpointPages, (ulong)_state.Index, expected.AsSpan(0, written));
    }

    /// <summary>
    /// What one page needs, from the page map entries of the snapshot and of the base snapshot. A
    /// page neither present nor swapped holds its region's base bytes (zeros, or the file's).
    /// </summary>
    private static Need Classify(bool shared, ulong entry, ulong baseEntry, bool inBase)
    {
        const ulong Resident = SnapshotMemory.Present | SnapshotMemory.Swapped;
        bool here = (entry & Resident) != 0;
        if (shared)
        {
            // A fork does not copy page table entries of shared mappings: read them all.
            return Need.CompareRegionBase;
        }
        if (!inBase)
        {
            return here ? Need.CompareRegionBase : Need.Skip;
        }
        bool there = (baseEntry & Resident) != 0;
        if (!here && !there)
        {
            return Need.Skip;
        }
        ulong frame = entry & SnapshotMemory.FrameMask;
        if ((entry & baseEntry & SnapshotMemory.Present) != 0 && frame != 0 && frame == (baseEntry & SnapshotMemory.FrameMask))
        {
            // The same physical page in both snapshots: untouched since the base was forked.
            return Need.Skip;
        }
        return there ? Need.CompareBase : Need.CompareRegionBase;
    }

    /// <summary>
    /// A page of a private view: kept when the process wrote it (a private copy, anonymous in the
    /// page map), whatever its bytes, since it no longer shows the file; else the file's.
    /// </summary>
    private static Need OwnPage(ulong entry) =>
        SnapshotMemory.IsOwnCopy(entry) ? Need.Keep : Need.Skip;

    /// <summary>Reads the pages that <paramref name="wanted"/> selects, one read per run of consecutive pages.</summary>
    private static void ReadRuns(SnapshotMemory memory, RemotePtr start, Need[] needs, Func<Need, bool> wanted, byte[] into)
    {
        int runStart = -1;
        for (int i = 0; i <= needs.Length; i++)
        {
            bool want = i < needs.Length && wanted(needs[i]);
            if (want && runStart < 0)
            {
                runStart = i;
            }
            else if (!want && runStart >= 0)
            {
                memory.Read(start + (ulong)runStart * PageSize, into.AsSpan(runStart * PageSize, (i - runStart) * PageSize));
                runStart = -1;
            }
        }
    }
}
