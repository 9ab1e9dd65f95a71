using Microsoft.Win32.SafeHandles;
using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// Stand-ins for the files a replayed process maps that change while mapped
/// (<see cref="SharedFileMapping"/>): one memfd of the replayer's per recorded file, which every
/// such mapping of that file in the tracee maps, shared or private as recorded, so that what the
/// program writes through one mapping shows in the others, as it did when recorded. The recorded
/// changes made through syscalls (<see cref="FileChange"/>) are made to the stand-in, and its
/// size is the file's, so pages past the file's end raise SIGBUS as they did. At each mmap the
/// recorded bytes under the new mapping are written into the stand-in first, so a change made
/// from outside the program shows from the moment it was mapped. Each session owns its
/// stand-ins: a forked copy gets copies of them, or the pages would be shared between snapshots
/// and the run that goes on. A System V shared memory segment is such a file (recorded by its
/// id, the inode the kernel gives it): every attach of it maps its stand-in, and replay makes no
/// segment of its own.
/// </summary>
internal sealed class SharedFiles : ISharedMappings, IDisposable
{
    private readonly Dictionary<(ulong Device, ulong Inode), StandIn> _files = [];

    /// <summary>A memfd of ours and its inode, which names its mappings in /proc/PID/maps; <paramref name="Segment"/> when it stands for a System V segment.</summary>
    private sealed record StandIn(SafeFileHandle Handle, ulong Inode, bool Segment = false);

    /// <summary>
    /// At the exit of an mmap or shmat, whose <paramref name="range"/> replay reserved: maps the
    /// stand-in of its file there (of a System V <paramref name="segment"/> for a shmat), with the
    /// recorded bytes under it, read from <paramref name="trace"/>.
    /// </summary>
    public void Map(Tracee tracee, (ulong Start, ulong Length, ulong Protection, ulong Offset) range, SharedFileMapping m, TraceFile trace, bool segment)
    {
        var file = StandInFor((m.Device, m.Inode), segment);
        Fill(file, trace, m.Content, m.FileSize, range.Offset, range.Length);
        MapInto(tracee, file, [range], m.Private);
    }

    /// <summary>
    /// Makes <paramref name="file"/> <paramref name="size"/> bytes long, with <paramref name="content"/>,
    /// the recorded bytes under a mapping of <paramref name="length"/> bytes from <paramref name="offset"/>
    /// (up to the file's end), in place.
    /// </summary>
    private static void Fill(StandIn file, TraceFile trace, BlobId content, ulong size, ulong offset, ulong length)
    {
        Resize(file, (long)size);
        ulong window = Math.Clamp(size - Math.Min(size, offset), 0, length);
        if (window <= TraceFile.LargeBlob)
        {
            RandomAccess.Write(file.Handle, trace.Blob(content), (long)offset);
            return;
        }
        // Read by range: zeros where no piece of it is stored.
        MemoryFile.Zero(file.Handle, (long)offset, (long)window);
        trace.ReadBlobRange(content, window, 0, window, (at, bytes) => MemoryFile.WriteData(file.Handle, bytes, (long)(offset + at)));
    }

    /// <summary>
    /// At the exit of an mmap of a private copy of a file that reaches past its last page: maps the
    /// file's stand-in, as long as the file was (<paramref name="size"/>), privately over the
    /// pages past it, <paramref name="range"/>, so that they raise SIGBUS until the file grows.
    /// </summary>
    public void MapPastEnd(Tracee tracee, (ulong Start, ulong Length, ulong Protection, ulong Offset) range, (ulong Device, ulong Inode) file, ulong size)
    {
        var standIn = StandInFor(file, segment: false);
        Resize(standIn, (long)size);
        MapInto(tracee, standIn, [range], privately: true);
    }

    /// <summary>
    /// A recorded change to a file, as <paramref name="tracee"/>'s mappings of it showed it when
    /// recorded (<see cref="FileChange.Copies"/>): written where replay maps a copy of the file,
    /// not where it maps a stand-in, which <see cref="Apply"/> changed.
    /// </summary>
    public void WriteCopies(Tracee tracee, IEnumerable<MemoryWrite> writes)
    {
        var standIns = AddressSpace.Read(tracee.Tgid).Regions.Where(r => _files.Values.Any(f => f.Inode == r.Inode)).ToList();
        foreach (var write in writes)
        {
            var (start, end) = (write.Address, write.Address + (ulong)write.Data.Length);
            for (var at = start; at < end;)
            {
                var next = standIns.Where(r => r.End > at && r.Start < end).MinBy(r => r.Start.Value);
                var copyEnd = next == null ? end : next.Start.Value > at.Value ? next.Start : at;
                if (copyEnd > at)
                {
                    tracee.Write(at, write.Data.AsSpan((int)(at - start), (int)(copyEnd - at)));
                }
                at = next == null ? end : next.End;
            }
        }
    }

    /// <summary>A recorded syscall changed a file: the same change to its stand-in, if replay has one (else nothing maps the file).</summary>
    public void Apply(FileChange change)
    {
        if (!_files.TryGetValue((change.Device, change.Inode), out var file))
        {
            return;
        }
        Resize(file, (long)change.Size);
        foreach (var range in change.Ranges)
        {
            RandomAccess.Write(file.Handle, range.Data, (long)range.Offset);
            MemoryFile.Zero(file.Handle, (long)range.Offset + range.Data.Length, (long)range.Length - range.Data.Length);
        }
    }

    /// <summary>
    /// The mappings shmdt(<paramref name="address"/>) takes away from a process with
    /// <paramref name="regions"/>, found as the kernel finds them (ipc/shm.c, ksys_shmdt): the first
    /// mapping of a segment at or above the address that maps it from the offset it lies at from
    /// there, then the other such mappings of the same segment that end within its size. None when
    /// the call fails (EINVAL).
    /// </summary>
    public IReadOnlyList<MemoryRegion> Detached(IReadOnlyList<MemoryRegion> regions, ulong address)
    {
        var attached = regions
            .Where(r => r.Start.Value >= address && r.Start.Value - address == r.FileOffset)
            .Select(r => (Region: r, File: _files.Values.FirstOrDefault(f => f.Segment && f.Inode == r.Inode)))
            .Where(a => a.File != null)
            .ToList();
        if (attached.Count == 0)
        {
            return [];
        }
        var first = attached[0];
        ulong size = AddressSpace.PageUp((ulong)RandomAccess.GetLength(first.File!.Handle));
        return [first.Region, .. attached.Skip(1).Where(a => a.File == first.File && a.Region.End.Value - address <= size).Select(a => a.Region)];
    }

    /// <summary>
    /// While a checkpoint is restored: maps the stand-in of <paramref name="region"/>'s file over
    /// it (<paramref name="scratch"/> lends a place for the path, the restoring stub having no stack);
    /// a private view with the file's bytes under it then, and privately.
    /// </summary>
    public void MapRegion(Tracee tracee, SavedRegion region, TraceFile trace, RemotePtr scratch)
    {
        var file = StandInOf(region);
        if (region.IsPrivateView)
        {
            Fill(file, trace, region.File!.Blob, region.File.FileSize, region.SharedFile!.Value.Offset, region.Length);
            MapInto(tracee, file, [(region.Start.Value, region.Length, (ulong)region.Protection, region.SharedFile.Value.Offset)], privately: true, scratch);
            return;
        }
        long offset = (long)region.SharedFile!.Value.Offset;
        long end = offset + (long)region.Length;
        if (RandomAccess.GetLength(file.Handle) < end)
        {
            Resize(file, end);
        }
        MapInto(tracee, file, [(region.Start.Value, region.Length, (ulong)region.Protection, (ulong)offset)], scratch: scratch);
    }

    /// <summary>While a checkpoint is restored: a page of a shared region goes into its file's stand-in (ptrace may not write a mapping that is shared and read-only).</summary>
    public void Write(Tracee t, SavedRegion region, SavedPage page)
    {
        RandomAccess.Write(StandInOf(region).Handle, page.Data.Span, (long)(region.SharedFile!.Value.Offset + (page.Address - region.Start)));
    }

    /// <summary>
    /// Writes code of ours (an int3, a probe's jump, the original bytes back) into
    /// <paramref name="tracee"/>'s memory; where the kernel refuses a tracer's write into a shared
    /// mapping without write permission (check_vma_flags in mm/gup.c), as a W^X runtime maps the
    /// code its JIT writes, into the stand-in that mapping shows (every mapping of it sees the bytes).
    /// </summary>
    public void WriteCode(Tracee tracee, RemotePtr address, ReadOnlySpan<byte> bytes)
    {
        try
        {
            tracee.Write(address, bytes);
        }
        catch (RewindException)
        {
            var last = address + (ulong)bytes.Length - 1;
            if (AddressSpace.Read(tracee.Tgid).Regions.FirstOrDefault(r => r.Shared && r.Contains(address) && r.Contains(last)) is not { } region
                || _files.Values.FirstOrDefault(f => f.Inode == region.Inode) is not { } file)
            {
                throw;
            }
            RandomAccess.Write(file.Handle, bytes, (long)(region.FileOffset + (address - region.Start)));
        }
    }

    private StandIn StandInOf(SavedRegion region) =>
        StandInFor((region.SharedFile!.Value.Device, region.SharedFile.Value.Inode), MemoryRegion.NamesSysVSegment(region.Name));

    private StandIn StandInFor((ulong Device, ulong Inode) key, bool segment)
    {
        if (!_files.TryGetValue(key, out var file))
        {
            file = Create($"{key.Device:x}:{key.Inode}") with { Segment = segment };
            _files[key] = file;
        }
        return file;
    }

    /// <summary>
    /// Shared memory for <paramref name="copies"/>, fork snapshots of this session's processes
    /// (one each), whose mappings of stand-ins and shared memory still share pages with ours: each
    /// stand-in a copy maps copied (its data, not its holes), and each anonymous shared memory
    /// object (MAP_SHARED|MAP_ANONYMOUS, /dev/zero in /proc/PID/maps) copied into a memfd of its
    /// own, which the copy keeps as a stand-in; each mapped again wherever a copy maps it, a private
    /// mapping with the pages the copy wrote kept. The copies then share them among themselves, as
    /// the processes do, and with nothing else. A stand-in no copy maps is left out: a later mmap
    /// of its file writes the bytes under it into a new one.
    /// </summary>
    public SharedFiles CopyFor(IReadOnlyList<Tracee> copies)
    {
        var twins = new SharedFiles();
        var standIns = _files.Values.Select(f => f.Inode).ToHashSet();
        var shared = copies.Select(c => (Copy: c, Regions: AddressSpace.Read(c.Tgid).Regions.Where(r => r.Shared || standIns.Contains(r.Inode)).ToList())).ToList();
        try
        {
            foreach (var (key, file) in _files)
            {
                if (!shared.Any(c => c.Regions.Any(r => r.Inode == file.Inode)))
                {
                    continue;
                }
                var twin = twins._files[key] = Create($"copy of {key.Inode}") with { Segment = file.Segment };
                MemoryFile.CopyData(file.Handle, twin.Handle);
                foreach (var (copy, regions) in shared)
                {
                    var mine = regions.Where(r => r.Inode == file.Inode).ToList();
                    MapInto(copy, twin, Ranges(mine.Where(r => r.Shared)));
                    foreach (var region in mine.Where(r => !r.Shared))
                    {
                        MapPrivately(copy, twin, region);
                    }
                }
            }
            foreach (ulong inode in shared.SelectMany(c => c.Regions).Where(IsAnonymous).Select(r => r.Inode).Distinct())
            {
                var twin = twins._files[(0, inode)] = Create($"shared memory {inode}");
                foreach (var (copy, regions) in shared)
                {
                    var mine = regions.Where(r => IsAnonymous(r) && r.Inode == inode).ToList();
                    foreach (var region in mine)
                    {
                        var bytes = new byte[region.Length];
                        copy.ReadExactly(region.Start, bytes);
                        RandomAccess.Write(twin.Handle, bytes, (long)region.FileOffset);
                    }
                    MapInto(copy, twin, Ranges(mine));
                }
            }
            return twins;
        }
        catch
        {
            twins.Dispose();
            throw;
        }
    }

    private static bool IsAnonymous(MemoryRegion r) => r.Name.StartsWith("/dev/zero", StringComparison.Ordinal);

    /// <summary>
    /// Maps <paramref name="file"/> privately over <paramref name="region"/> of <paramref name="copy"/>,
    /// a private mapping of another stand-in, and writes back the pages the copy had made its own
    /// (written, so copied: anonymous in its page map); the others show the file from there on.
    /// </summary>
    private static void MapPrivately(Tracee copy, StandIn file, MemoryRegion region)
    {
        var own = new List<(RemotePtr Address, byte[] Data)>();
        using (var memory = new SnapshotMemory(copy.Tgid))
        {
            var entries = new ulong[region.Length / AddressSpace.PageSize];
            memory.ReadPageMap(region.Start, entries);
            for (int i = 0; i < entries.Length; i++)
            {
                if (SnapshotMemory.IsOwnCopy(entries[i]))
                {
                    var page = (Address: region.Start + (ulong)i * AddressSpace.PageSize, Data: new byte[AddressSpace.PageSize]);
                    memory.Read(page.Address, page.Data);
                    own.Add(page);
                }
            }
        }
        MapInto(copy, file, Ranges([region]), privately: true);
        foreach (var (address, data) in own)
        {
            copy.Write(address, data);
        }
    }

    private static IEnumerable<(ulong Start, ulong Length, ulong Protection, ulong Offset)> Ranges(IEnumerable<MemoryRegion> regions) =>
        regions.Select(r => (r.Start.Value, r.Length, (ulong)r.Protection, r.FileOffset));

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Handle.Dispose();
        }
        _files.Clear();
    }

    private static StandIn Create(string name)
    {
        var handle = MemoryFile.Create($"rewind {name}");
        var status = Interop.Stat($"/proc/self/fd/{handle.DangerousGetHandle()}") ?? throw new RewindException("a new memfd cannot be read back");
        return new StandIn(handle, status.Inode);
    }

    private static void Resize(StandIn file, long size) => MemoryFile.Resize(file.Handle, size);

    /// <summary>Gives the tracee <paramref name="file"/>, maps it at each range, shared or <paramref name="privately"/>, and closes it again.</summary>
    private static void MapInto(Tracee tracee, StandIn file, IEnumerable<(ulong Start, ulong Length, ulong Protection, ulong Offset)> ranges, bool privately = false, RemotePtr? scratch = null)
    {
        int fd = tracee.InjectDescriptor(file.Handle, scratch);
        try
        {
            foreach (var (start, length, protection, offset) in ranges)
            {
                tracee.InjectSyscallChecked("mmap(shared file)", Nr.mmap, start, length, protection,
                    (ulong)((privately ? Interop.MAP_PRIVATE : Interop.MAP_SHARED) | Interop.MAP_FIXED), (ulong)fd, offset);
            }
        }
        finally
        {
            tracee.InjectSyscallChecked("close", Nr.close, (ulong)fd);
        }
    }
}
