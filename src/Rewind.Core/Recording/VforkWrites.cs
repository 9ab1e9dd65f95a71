using Rewind.Checkpoints;
using Rewind.Syscalls;

namespace Rewind.Recording;

/// <summary>
/// What a vfork child writes into its parent's memory before it execs or exits: it runs in the
/// parent's address space (vfork(2)), on the parent's stack or, for posix_spawn, on a stack of the
/// parent's heap, and may write anywhere. Replay creates the child as a process of its own, so the
/// parent would not see those writes: a copy-on-write snapshot of the memory, forked from the child
/// at its first stop, tells at the parent's return which of its private pages changed meanwhile,
/// and those are logged as the vfork's output. A page the child did not write has the same frame
/// in the snapshot and in the parent (pagemap); the others are compared by content.
/// </summary>
internal sealed class VforkWrites(Tracee snapshot) : IDisposable
{
    private const int PageSize = AddressSpace.PageSize, SlicePages = 1024;

    /// <summary>Takes the snapshot from <paramref name="child"/>, stopped before its first instruction; it needs no shared memory.</summary>
    public static VforkWrites Watch(Tracee child)
    {
        var (snapshot, _) = child.ForkSnapshotWithoutSegments();
        try
        {
            snapshot.CloseDescriptors();
            return new VforkWrites(snapshot);
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    /// <summary>The snapshot process, stopped.</summary>
    public Tracee Snapshot => snapshot;

    /// <summary>Adds to <paramref name="capture"/> each page of <paramref name="parent"/> (the vfork's caller, at its return) that the child changed.</summary>
    public void Capture(Tracee parent, OutputCapture capture)
    {
        using var before = new SnapshotMemory(snapshot.Pid);
        using var after = new SnapshotMemory(parent.Pid);
        var then = AddressSpace.Read(snapshot.Pid).Regions;
        // Shared memory needs nothing: the replayed child shares it too. A region the child mapped
        // is not the parent's in replay either.
        var regions = AddressSpace.Read(parent.Pid).Regions.Where(r => !r.Shared && !r.IsKernelProvided
            && r.Protection.HasFlag(Protection.Read | Protection.Write) && then.Any(t => t.Start <= r.Start && r.End <= t.End));
        foreach (var region in regions)
        {
            for (var start = region.Start; start < region.End; start += (ulong)SlicePages * PageSize)
            {
                int pages = (int)Math.Min(SlicePages, (region.End - start) / PageSize);
                CaptureSlice(before, after, start, pages, capture);
            }
        }
    }

    private static void CaptureSlice(SnapshotMemory before, SnapshotMemory after, RemotePtr start, int pages, OutputCapture capture)
    {
        const ulong Resident = SnapshotMemory.Present | SnapshotMemory.Swapped;
        var was = new ulong[pages];
        var now = new ulong[pages];
        before.ReadPageMap(start, was);
        after.ReadPageMap(start, now);
        byte[] old = new byte[PageSize], current = new byte[PageSize];
        for (int i = 0; i < pages; i++)
        {
            ulong frame = now[i] & SnapshotMemory.FrameMask;
            bool untouched = ((was[i] | now[i]) & Resident) == 0
                || (was[i] & now[i] & SnapshotMemory.Present) != 0 && frame != 0 && frame == (was[i] & SnapshotMemory.FrameMask);
            if (untouched)
            {
                continue;
            }
            var page = start + (ulong)i * PageSize;
            before.Read(page, old);
            after.Read(page, current);
            if (!old.AsSpan().SequenceEqual(current))
            {
                capture.At(page.Value, PageSize);
            }
        }
    }

    public void Dispose() => snapshot.Dispose();
}
