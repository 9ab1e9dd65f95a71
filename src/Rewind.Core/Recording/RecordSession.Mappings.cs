using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const string ZeroDevice = "/dev/zero";

    // The memory objects replay maps from stand-ins, by (device, inode): files mapped shared
    // through a descriptor open for writing or privately through one (and every later mapping of
    // those), and System V segments.
    private readonly HashSet<(ulong Device, ulong Inode)> _viewedFiles = [];

    // The files replay keeps a stand-in of: those viewed, and those of a private copy that
    // reaches past the file's last page.
    private readonly HashSet<(ulong Device, ulong Inode)> _standInFiles = [];

    // Every file the program maps, whose changes through syscalls the events carry
    // (FileChangeOf), with its size when last seen.
    private readonly Dictionary<(ulong Device, ulong Inode), long> _mappedFiles = [];

    // The files replay maps a private copy of, once or more.
    private readonly HashSet<(ulong Device, ulong Inode)> _copiedFiles = [];

    /// <summary>
    /// For an mmap of a file, what replay needs of it. A file that can change through its mappings
    /// is mapped from one stand-in per file, so that a write through one mapping shows in the
    /// others (a JIT writes code through one view of a memfd and runs it through another): a
    /// mapping through a descriptor open for writing, shared or private, and any later mapping of
    /// such a file, keeps the bytes under the mapping and the file's identity. Any other file is
    /// stored whole and replay maps a private copy of its bytes (the changes to it through
    /// syscalls come with those, <see cref="FileChangeOf"/>); where the mapping reaches past the
    /// file's last page, replay maps the rest from the stand-in, whose size makes those pages raise
    /// SIGBUS until the file grows (mmap(2)), as ld.so's first mapping of every library does, and a
    /// program may touch.
    /// </summary>
    private (FileMapping? Private, SharedFileMapping? Shared, (ulong Device, ulong Inode)? PastEnd) MappingOf(in Registers entry, long result)
    {
        if (entry.SyscallNumber == Nr.shmat && !Errno.IsError(result))
        {
            return (null, Attached((ulong)result), null);
        }
        if (!MapsFile(entry, result))
        {
            return (null, null, null);
        }
        string open = $"/proc/{_current.Tracee.Pid}/fd/{(int)entry.Arg(4)}";
        string name = new FileInfo(open).LinkTarget ?? open;
        if (name == ZeroDevice)
        {
            // Anonymous memory by another name (mem(4)): replay maps anonymous memory, private or shared as asked.
            return (null, null, null);
        }
        var (device, inode, size, _, _) = Interop.Stat(open)?.Identity ?? throw new RewindException($"the file {name} the program mapped is gone");
        if (_viewedFiles.Contains((device, inode)) || OpenForWriting(entry))
        {
            return (null, SharedFile(open, name, (long)entry.Arg(5), (long)entry.Arg(1)) with { Private = !IsShared(entry) }, null);
        }
        var (id, _) = _blobs.Add(open, name);
        _debugFiles.Mapped(name);
        _mappedFiles[(device, inode)] = size;
        _copiedFiles.Add((device, inode));
        var copy = new FileMapping(name, id, entry.Arg(5), (ulong)size);
        if (entry.Arg(5) + AddressSpace.PageUp(entry.Arg(1)) <= AddressSpace.PageUp((ulong)size))
        {
            return (copy, null, null);
        }
        _standInFiles.Add((device, inode));
        return (copy, null, (device, inode));
    }

    /// <summary>The file <paramref name="name"/> (open as <paramref name="open"/>) mapped from <paramref name="offset"/> for <paramref name="mapped"/> bytes, from its stand-in.</summary>
    private SharedFileMapping SharedFile(string open, string name, long offset, long mapped)
    {
        var (device, inode, size, _, _) = Interop.Stat(open)?.Identity ?? throw new RewindException($"the file {name} the program mapped is gone");
        _viewedFiles.Add((device, inode));
        _standInFiles.Add((device, inode));
        _mappedFiles[(device, inode)] = size;
        return new SharedFileMapping(name, device, inode, (ulong)size, _blobs.Add(open, offset, Math.Clamp(size - offset, 0, mapped)));
    }

    /// <summary>Memory the program's processes share, which a snapshot must not: shared anonymous memory, a shared file mapping, a System V segment.</summary>
    private bool IsSharedMemory(MemoryRegion r) =>
        r.Shared && (_viewedFiles.Contains((r.Device, r.Inode)) || r.Name.StartsWith(ZeroDevice, StringComparison.Ordinal));

    /// <summary>
    /// A private mapping replay makes from its file's stand-in: of a file mapped so, or one that
    /// reaches past its file's last page (<see cref="MappingOf"/>).
    /// </summary>
    private bool IsPrivateView(MemoryRegion r) =>
        !r.Shared && r.IsFile && (_viewedFiles.Contains((r.Device, r.Inode)) || _standInFiles.Contains((r.Device, r.Inode))
            && _mappedFiles.TryGetValue((r.Device, r.Inode), out long size) && r.FileOffset + r.Length > AddressSpace.PageUp((ulong)size));

    /// <summary>
    /// Copies, taken while the program's <paramref name="processes"/> are stopped and their
    /// snapshots fresh, of the memory the snapshots share with the program, or were forked without
    /// (<see cref="Checkpoints.SnapshotState.FrozenFiles"/>): the files it maps shared, its System
    /// V segments, and its shared anonymous memory (/dev/zero in /proc/PID/maps, whose map_files
    /// link opens the memory object itself); and the files of its private mappings that replay
    /// makes from stand-ins, whose pages the program has not written show the file as it changes.
    /// One copy of each, whichever processes map it: their images name the same object, which
    /// replay maps once for all.
    /// </summary>
    private Dictionary<(ulong Device, ulong Inode), SafeFileHandle> FreezeSharedMemory(IEnumerable<int> processes)
    {
        var frozen = new Dictionary<(ulong Device, ulong Inode), SafeFileHandle>();
        try
        {
            foreach (int pid in processes)
            {
                var shared = AddressSpace.Read(pid).Regions.Where(r => IsSharedMemory(r) || IsPrivateView(r));
                foreach (var region in shared.Where(r => !frozen.ContainsKey((r.Device, r.Inode))))
                {
                    using var file = File.OpenHandle(MappedFile.RequirePathOf(pid, region));
                    var copy = MemoryFile.Create("rewind checkpoint");
                    frozen[(region.Device, region.Inode)] = copy;
                    MemoryFile.CopyData(file, copy);
                }
            }
            return frozen;
        }
        catch
        {
            Release(frozen);
            throw;
        }
    }

    private static void Release(Dictionary<(ulong Device, ulong Inode), SafeFileHandle> frozen)
    {
        foreach (var copy in frozen.Values)
        {
            copy.Dispose();
        }
    }

    /// <summary>
    /// The range a successful syscall had the kernel fill again from the files mapped there: what
    /// madvise(MADV_DONTNEED) dropped (madvise(2): a private file mapping then reads from the file)
    /// and what mremap added to a mapping (a file's further pages).
    /// </summary>
    private static (ulong Start, ulong Length)? RefilledFromFiles(in Registers entry, long result)
    {
        if (Errno.IsError(result))
        {
            return null;
        }
        // Lengths are rounded up to whole pages (madvise(2), mremap(2)).
        ulong length = AddressSpace.PageUp(entry.Arg(1)), grown = AddressSpace.PageUp(entry.Arg(2));
        return entry.SyscallNumber switch
        {
            Nr.madvise => (entry.Arg(0), length),
            Nr.mremap when grown > length => ((ulong)result + length, grown - length),
            _ => null,
        };
    }

    /// <summary>
    /// The bytes of [<paramref name="start"/>, +<paramref name="length"/>) that lie in file
    /// mappings replay holds as anonymous copies (all but those of files it maps from a stand-in,
    /// which refills them itself).
    /// </summary>
    private void CaptureFilePages(OutputCapture capture, ulong start, ulong length)
    {
        ulong end = start + length;
        foreach (var region in MapQuery.FileRegionsIn(_current.Tracee.Pid, new RemotePtr(start), new RemotePtr(end)))
        {
            // The kernel names shared anonymous memory "/dev/zero (deleted)": no file refills it.
            if (region.IsFile && !region.Name.StartsWith(ZeroDevice, StringComparison.Ordinal) && !_viewedFiles.Contains((region.Device, region.Inode)))
            {
                ulong from = Math.Max(start, region.Start.Value);
                capture.At(from, (long)(Math.Min(end, region.End.Value) - from));
            }
        }
    }

    private static bool MapsFile(in Registers entry, long result) =>
        entry.SyscallNumber == Nr.mmap && !Errno.IsError(result) && (entry.Arg(3) & Interop.MAP_ANONYMOUS) == 0;

    /// <summary>MAP_SHARED or MAP_SHARED_VALIDATE: any mapping type but MAP_PRIVATE.</summary>
    private static bool IsShared(in Registers entry)
    {
        const ulong MapType = 0x03, MapPrivate = 0x02;
        return (entry.Arg(3) & MapType) != MapPrivate;
    }

    /// <summary>The mmap's descriptor is open for reading and writing (one open for writing alone cannot be mapped).</summary>
    private bool OpenForWriting(in Registers entry) => FdInfo.IsOpenForReadingAndWriting(_current.Tracee.Tgid, (int)entry.Arg(4));
}
