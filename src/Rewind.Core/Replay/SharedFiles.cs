using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// Stand-ins for the files a replayed process maps shared and can write through
/// (<see cref="SharedFileMapping"/>): one memfd of the replayer's per recorded file, which every
/// mapping of that file in the tracee maps, so that what the program writes through one mapping
/// shows in the others, as it did when recorded. At each mmap the recorded bytes under the new
/// mapping are written into the stand-in first, so a change made from outside the program shows
/// from the moment it was mapped. Each session owns its stand-ins: a forked copy gets copies of
/// them, or the pages would be shared between snapshots and the run that goes on. A System V
/// shared memory segment is such a file (recorded by its id, the inode the kernel gives it): every
/// attach of it maps its stand-in, and replay makes no segment of its own.
/// </summary>
internal sealed class SharedFiles : Checkpoints.ISharedMappings, IDisposable
{
    private readonly Dictionary<(ulong Device, ulong Inode), StandIn> _files = [];

    /// <summary>A memfd of ours and its inode, which names its mappings in /proc/PID/maps; <paramref name="Segment"/> when it stands for a System V segment.</summary>
    private sealed record StandIn(SafeFileHandle Handle, ulong Inode, bool Segment = false);

    /// <summary>
    /// At the exit of an mmap or shmat, whose <paramref name="range"/> replay reserved: maps the
    /// stand-in of its file there (of a System V <paramref name="segment"/> for a shmat).
    /// </summary>
    public void Map(Tracee tracee, (ulong Start, ulong Length, ulong Protection, ulong Offset) range, SharedFileMapping m, byte[] content, bool segment)
    {
        var file = StandInFor((m.Device, m.Inode), segment);
        Resize(file, (long)m.FileSize);
        RandomAccess.Write(file.Handle, content, (long)range.Offset);
        MapInto(tracee, file, [range]);
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
    /// it (<paramref name="scratch"/> lends a place for the path, the restoring stub having no stack).
    /// </summary>
    public void MapRegion(Tracee tracee, Checkpoints.SavedRegion region, RemotePtr scratch)
    {
        var file = StandInOf(region);
        long offset = (long)region.SharedFile!.Value.Offset;
        long end = offset + (long)region.Length;
        if (RandomAccess.GetLength(file.Handle) < end)
        {
            Resize(file, end);
        }
        MapInto(tracee, file, [(region.Start.Value, region.Length, (ulong)region.Protection, (ulong)offset)], scratch);
    }

    /// <summary>While a checkpoint is restored: a page of a shared region goes into its file's stand-in (ptrace may not write a mapping that is shared and read-only).</summary>
    public void Write(Tracee t, Checkpoints.SavedRegion region, Checkpoints.SavedPage page)
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

    private StandIn StandInOf(Checkpoints.SavedRegion region) =>
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
    /// (one each), whose shared mappings still share pages with ours: each stand-in copied (its
    /// data, not its holes), and each anonymous shared memory object (MAP_SHARED|MAP_ANONYMOUS,
    /// /dev/zero in /proc/PID/maps) copied into a memfd of its own, which the copy keeps as a
    /// stand-in; each mapped again wherever a copy maps it. The copies then share them among
    /// themselves, as the processes do, and with nothing else.
    /// </summary>
    public SharedFiles CopyFor(IReadOnlyList<Tracee> copies)
    {
        var twins = new SharedFiles();
        var shared = copies.Select(c => (Copy: c, Regions: AddressSpace.Read(c.Tgid).Regions.Where(r => r.Shared).ToList())).ToList();
        try
        {
            foreach (var (key, file) in _files)
            {
                var twin = twins._files[key] = Create($"copy of {key.Inode}") with { Segment = file.Segment };
                MemoryFile.CopyData(file.Handle, twin.Handle);
                foreach (var (copy, regions) in shared)
                {
                    MapInto(copy, twin, Ranges(regions.Where(r => r.Inode == file.Inode)));
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

    /// <summary>Gives the tracee <paramref name="file"/>, maps it shared at each range, and closes it again.</summary>
    private static void MapInto(Tracee tracee, StandIn file, IEnumerable<(ulong Start, ulong Length, ulong Protection, ulong Offset)> ranges, RemotePtr? scratch = null)
    {
        int fd = tracee.InjectDescriptor(file.Handle, scratch);
        try
        {
            foreach (var (start, length, protection, offset) in ranges)
            {
                tracee.InjectSyscallChecked("mmap(shared file)", Nr.mmap, start, length, protection,
                    Interop.MAP_SHARED | Interop.MAP_FIXED, (ulong)fd, offset);
            }
        }
        finally
        {
            tracee.InjectSyscallChecked("close", Nr.close, (ulong)fd);
        }
    }
}
