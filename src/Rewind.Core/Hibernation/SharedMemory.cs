using Rewind.Checkpoints;
using Rewind.Linux;

namespace Rewind.Hibernation;

/// <summary>
/// A mapping of a hibernated process that another process maps too, which resume cannot share
/// again: memory with no file to map again by its path (shared anonymous memory, which a fork
/// shares; a System V segment; a deleted file or memfd, which a descriptor passed on shares).
/// Resume makes each the process's own, holding what it held (<see cref="LiveMappings"/>), so that
/// neither process sees the other's writes any more. A file still there is none of these: resume
/// maps the file itself, whose other mappers go on sharing it; nor is memory that neither
/// process maps writable, whose bytes cannot change.
/// </summary>
/// <param name="Region">the process's mapping.</param>
/// <param name="Sharer">the other process, "4243 (worker)"; null where only a System V segment's count of attaches shows one (a process whose maps rewind may not read).</param>
internal sealed record SharedMemory(MemoryRegion Region, string? Sharer)
{
    /// <summary>How a refusal names it: "the memory at 7f3a1000-7f3a2000 (shared anonymous memory) is shared with process 4243 (worker)".</summary>
    public string Describe() => $"the memory at {Range} ({What}) is shared with {Who}";

    /// <summary>What it becomes with --close-lost, as resume reports it.</summary>
    public string CopiedNote => $"the memory at {Range} ({What}) was shared with {Who}: it comes back as the process's own, holding what it held when it was saved, and no longer shared";

    private string Range => $"{Region.Start.Value:x}-{Region.End.Value:x}";

    private string Who => Sharer is null ? "another process (the segment has more attaches than the process's own)" : $"process {Sharer}";

    private string What
    {
        get
        {
            string name = Region.Name[..^Deleted.Length];
            if (Region.IsSysVSegment)
            {
                // "/SYSV" and the key in 8 hex digits, 0 for IPC_PRIVATE; the inode is the segment's id (MemoryRegion.IsSysVSegment).
                string key = name["/SYSV".Length..];
                return $"System V segment {Region.Inode}{(key.Trim('0').Length > 0 ? $", key 0x{key}" : "")}";
            }
            return name == "/dev/zero" ? "shared anonymous memory"
                : LiveMappings.MemoryFileName(name) is { } memfd ? $"the memfd {memfd}" : $"the deleted file {name}";
        }
    }

    private const string Deleted = " (deleted)";

    /// <summary>
    /// The mappings of process <paramref name="pid"/> that another process maps too, where either
    /// maps it writable: the same file (device and inode) in any /proc/PID/maps rewind may read,
    /// and a System V segment attached more often (shm_nattch) than those show.
    /// </summary>
    public static List<SharedMemory> Find(int pid)
    {
        var regions = AddressSpace.Read(pid).Regions;
        // Shared anonymous memory is a file of the kernel's shmem mount, "/dev/zero (deleted)" (mm/shmem.c).
        var candidates = regions.Where(r => r.Shared && r.Name.StartsWith('/') && r.Name.EndsWith(Deleted, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }
        var keys = candidates.Select(Key).ToHashSet();
        var mappers = new Dictionary<(ulong, ulong), List<(int Pid, bool Writes)>>();
        foreach (int other in ProcStatus.Processes().Where(p => p != pid))
        {
            foreach (var region in MapsOf(other).Where(r => r.Shared && keys.Contains(Key(r))))
            {
                (mappers.TryGetValue(Key(region), out var list) ? list : mappers[Key(region)] = []).Add((other, region.Protection.HasFlag(Protection.Write)));
            }
        }
        var attaches = candidates.Any(r => r.IsSysVSegment) ? SysVSegments.Attaches().ToDictionary(a => a.Id, a => a.Attaches) : [];
        var found = new List<SharedMemory>();
        foreach (var region in candidates)
        {
            var others = mappers.GetValueOrDefault(Key(region)) ?? [];
            bool writes = region.Protection.HasFlag(Protection.Write);
            if (others.Where(m => writes || m.Writes).Select(m => m.Pid).FirstOrDefault() is int sharer and not 0)
            {
                found.Add(new SharedMemory(region, ProcStatus.Describe(sharer)));
            }
            else if (region.IsSysVSegment && attaches.GetValueOrDefault(region.Inode) > regions.Count(r => r.IsSysVSegment && r.Inode == region.Inode) + others.Count)
            {
                // The kernel counts an attach for every mapping in every process (SysVSegments.Attaches): some are in processes not seen here.
                found.Add(new SharedMemory(region, null));
            }
        }
        return found;
    }

    private static (ulong, ulong) Key(MemoryRegion region) => (region.Device, region.Inode);

    /// <summary>A process's mappings; none for one that ended meanwhile or whose maps rewind may not read (another user's).</summary>
    private static IReadOnlyList<MemoryRegion> MapsOf(int pid)
    {
        try
        {
            return AddressSpace.Read(pid).Regions;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
