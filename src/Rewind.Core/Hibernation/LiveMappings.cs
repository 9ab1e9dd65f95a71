using Microsoft.Win32.SafeHandles;
using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// A resumed process's shared mappings: a file that is still there is mapped again, shared, so
/// that what the process writes reaches it as before and what the file holds now is what it
/// reads. A deleted file (a memfd: .NET's JIT writes its code through one mapping of it and runs
/// it through another) is one stand-in for all its mappings, so a write through one shows in the
/// others: the file its descriptor was made again as (<see cref="DescriptorRestore"/>), else a
/// memfd made for its mappings alone, closed once they are in place. Shared anonymous memory and
/// System V segments are made again as shared anonymous memory holding the saved pages; where
/// several processes are resumed together, that memory, and a deleted file no descriptor holds,
/// is <paramref name="tree"/>'s instead: one object for every process that maps it, as replay
/// restores a moment (<see cref="Replay.SharedFiles"/>).
/// </summary>
internal sealed class LiveMappings(IReadOnlyList<SavedDescriptor> descriptors, ISharedMappings? tree = null) : ISharedMappings, IDisposable
{
    private const int O_RDONLY = 0, O_RDWR = 2;
    private readonly List<SavedRegion> _anonymous = [];

    /// <summary>Each deleted file's stand-in, by its saved (device, inode): a descriptor number in the process.</summary>
    private readonly Dictionary<(ulong Device, ulong Inode), int> _standIns = descriptors.Where(d => d.Content != null && d.SameAs == null)
        .GroupBy(d => (d.Device, d.Inode)).ToDictionary(g => g.Key, g => g.First().Fd);

    /// <summary>The stand-ins made here, which no descriptor of the process holds.</summary>
    private readonly List<int> _made = [];

    /// <summary>Our copies of the stand-ins, for their saved pages (ptrace may not write a shared mapping that is read-only).</summary>
    private readonly Dictionary<int, SafeFileHandle> _copies = [];
    private PidFd? _pidfd;

    /// <summary>The path by which a process opens its own descriptor <paramref name="fd"/> again: the same file, a new open file description.</summary>
    public static string Reopened(int fd) => $"/proc/self/fd/{fd}";

    /// <summary>The name a memfd was made with, from its path in /proc ("/memfd:NAME", memfd_create(2)); null for another file.</summary>
    public static string? MemoryFileName(string path) => path.StartsWith("/memfd:", StringComparison.Ordinal) ? path["/memfd:".Length..] : null;

    public void MapRegion(Tracee t, SavedRegion region, Trace.TraceFile trace, RemotePtr scratch)
    {
        if (region.IsPrivateView)
        {
            CheckpointRestore.MapViewAsCopy(t, region, trace);
            return;
        }
        if (OfTree(region))
        {
            tree!.MapRegion(t, region, trace, scratch);
            return;
        }
        ulong protection = (ulong)region.Protection;
        // A stand-in is opened for writing whatever the region's protection: mprotect makes a shared
        // mapping writable only if its file was (VM_MAYWRITE), and .NET commits code pages reserved PROT_NONE so.
        var (path, writable) = OnFile(region) ? (region.Name, region.Protection.HasFlag(Protection.Write))
            : StandIn(t, region, scratch) is { } standIn ? (Reopened(standIn), true) : (null, false);
        if (path != null)
        {
            int fd = t.InjectOpen(path, writable ? O_RDWR : O_RDONLY, scratch);
            t.InjectSyscallChecked($"mmap({region.Name})", Nr.mmap, region.Start.Value, region.Length, protection,
                Interop.MAP_SHARED | Interop.MAP_FIXED, (ulong)fd, region.SharedFile!.Value.Offset);
            t.InjectSyscallChecked("close", Nr.close, (ulong)fd);
            return;
        }
        // Writable until its pages are in: ptrace may not write a shared mapping that is read-only.
        t.InjectSyscallChecked("mmap(shared)", Nr.mmap, region.Start.Value, region.Length, protection | Interop.PROT_WRITE,
            Interop.MAP_SHARED | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED, ulong.MaxValue, 0);
        _anonymous.Add(region);
    }

    /// <summary>A file mapping already shows the file's bytes; a stand-in takes the saved pages into the file, memory made again into itself.</summary>
    public void Write(Tracee t, SavedRegion region, SavedPage page)
    {
        if (OfTree(region))
        {
            tree!.Write(t, region, page);
        }
        else if (_standIns.TryGetValue(Key(region), out int fd))
        {
            RandomAccess.Write(Copy(t, fd), page.Data.Span, (long)(region.SharedFile!.Value.Offset + (page.Address - region.Start)));
        }
        else if (!OnFile(region))
        {
            t.Write(page.Address, page.Data.Span);
        }
    }

    /// <summary>Once every page is written: gives the memory made again its own protection, and closes the stand-ins no descriptor holds.</summary>
    public void Complete(Tracee t)
    {
        foreach (var region in _anonymous.Where(r => !r.Protection.HasFlag(Protection.Write)))
        {
            t.InjectSyscallChecked("mprotect", Nr.mprotect, region.Start.Value, region.Length, (ulong)region.Protection);
        }
        foreach (int fd in _made)
        {
            t.InjectSyscallChecked("close", Nr.close, (ulong)fd);
        }
        _made.Clear();
    }

    public void Dispose()
    {
        foreach (var copy in _copies.Values)
        {
            copy.Dispose();
        }
        _pidfd?.Dispose();
    }

    /// <summary>
    /// The stand-in of a deleted file's mapping: its descriptor's file, or a memfd made now of its
    /// name and long enough for the mapping (the saved pages fill it); null for other memory.
    /// </summary>
    private int? StandIn(Tracee t, SavedRegion region, RemotePtr scratch)
    {
        if (!_standIns.TryGetValue(Key(region), out int fd))
        {
            if (!OnDeletedFile(region))
            {
                return null;
            }
            string name = region.Name[..^" (deleted)".Length];
            // memfd_create takes a name of at most 249 bytes (MFD_NAME_MAX_LEN).
            string standIn = MemoryFileName(name) ?? Path.GetFileName(name);
            byte[] text = [.. System.Text.Encoding.UTF8.GetBytes(standIn[..Math.Min(standIn.Length, 60)]), 0];
            t.Write(scratch, text);
            fd = _standIns[Key(region)] = (int)t.InjectSyscallChecked($"memfd_create({name})", Nr.memfd_create, scratch.Value, Interop.MFD_CLOEXEC);
            _made.Add(fd);
        }
        long end = (long)(region.SharedFile!.Value.Offset + region.Length);
        if (_made.Contains(fd) && RandomAccess.GetLength(Copy(t, fd)) < end)
        {
            MemoryFile.Resize(Copy(t, fd), end);
        }
        return fd;
    }

    private SafeFileHandle Copy(Tracee t, int fd) =>
        _copies.TryGetValue(fd, out var copy) ? copy : _copies[fd] = (_pidfd ??= PidFd.Open(t.Pid)).Copy(fd);

    /// <summary>Whether the region is memory the processes resumed together share, which <c>tree</c> maps: not a file still there, nor one a descriptor of the process is made again as.</summary>
    private bool OfTree(SavedRegion region) => tree != null && !OnFile(region) && !_standIns.ContainsKey(Key(region));

    private static (ulong, ulong) Key(SavedRegion region) => (region.SharedFile!.Value.Device, region.SharedFile.Value.Inode);

    /// <summary>Whether the region maps a file that still exists under its name.</summary>
    private static bool OnFile(SavedRegion region) =>
        region.Name.StartsWith('/') && !region.Name.EndsWith(" (deleted)", StringComparison.Ordinal) && File.Exists(region.Name);

    /// <summary>Whether the region maps a deleted file: not shared anonymous memory (/dev/zero) nor a System V segment, which /proc names as deleted files too.</summary>
    private static bool OnDeletedFile(SavedRegion region) =>
        region.Name.StartsWith('/') && region.Name.EndsWith(" (deleted)", StringComparison.Ordinal)
        && !region.Name.StartsWith("/dev/zero", StringComparison.Ordinal) && !MemoryRegion.NamesSysVSegment(region.Name);
}
