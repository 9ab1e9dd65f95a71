using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const string ZeroDevice = "/dev/zero";

    // The memory objects the program maps shared and may write through a mapping, by (device,
    // inode): files mapped shared through a descriptor open for writing, and System V segments.
    private readonly HashSet<(ulong Device, ulong Inode)> _writtenThrough = [];

    /// <summary>
    /// For an mmap of a file, what replay needs of it: a file the program cannot write through is
    /// stored whole and replay maps a private copy of its bytes; one it can write through
    /// (MAP_SHARED on a descriptor open for writing) keeps the bytes under the mapping and the
    /// file's identity, since replay maps every mapping of one file from one stand-in, so that a
    /// write through one shows in the others (a JIT writes code through one view of a memfd and
    /// runs it through another).
    /// </summary>
    private (FileMapping? Private, SharedFileMapping? Shared) MappingOf(in Registers entry, long result)
    {
        if (entry.SyscallNumber == Nr.shmat && !Errno.IsError(result))
        {
            return (null, Attached((ulong)result));
        }
        if (!MapsFile(entry, result))
        {
            return (null, null);
        }
        string open = $"/proc/{_current.Tracee.Pid}/fd/{(int)entry.Arg(4)}";
        string name = new FileInfo(open).LinkTarget ?? open;
        if (name == ZeroDevice)
        {
            // Anonymous memory by another name (mem(4)): replay maps anonymous memory, private or shared as asked.
            return (null, null);
        }
        if (!WritesThrough(entry))
        {
            var (id, size) = _blobs.Add(open, name);
            _debugFiles.Mapped(name);
            return (new FileMapping(name, id, entry.Arg(5), (ulong)size), null);
        }
        return (null, SharedFile(open, name, (long)entry.Arg(5), (long)entry.Arg(1)));
    }

    /// <summary>The file <paramref name="name"/> (open as <paramref name="open"/>) mapped shared from <paramref name="offset"/> for <paramref name="mapped"/> bytes.</summary>
    private SharedFileMapping SharedFile(string open, string name, long offset, long mapped)
    {
        var (device, inode, size, _) = Interop.Stat(open)?.Identity ?? throw new RewindException($"the file {name} the program mapped is gone");
        long length = Math.Clamp(size - offset, 0, mapped);
        if (length > Array.MaxLength)
        {
            throw new UnsupportedException($"the program mapped {length >> 20} MiB of {name} for writing at once; at most 2 GiB are supported");
        }
        var content = new byte[length];
        using (SafeFileHandle file = File.OpenHandle(open))
        {
            RandomAccess.Read(file, content, offset);
        }
        _writtenThrough.Add((device, inode));
        return new SharedFileMapping(name, device, inode, (ulong)size, _blobs.Add(content));
    }

    /// <summary>Memory the program's processes share and write, which a snapshot must not: shared anonymous memory, a file written through, a System V segment.</summary>
    private bool IsSharedMemory(MemoryRegion r) =>
        r.Shared && (_writtenThrough.Contains((r.Device, r.Inode)) || r.Name.StartsWith(ZeroDevice, StringComparison.Ordinal));

    /// <summary>
    /// Copies, taken while the program's <paramref name="processes"/> are stopped and their
    /// snapshots fresh, of the memory the snapshots share with the program, or were forked without
    /// (<see cref="Checkpoints.SnapshotState.FrozenFiles"/>): the files it writes through, its System
    /// V segments, and its shared anonymous memory (/dev/zero in /proc/PID/maps, whose map_files
    /// link opens the memory object itself). One copy of each, whichever processes map it: their
    /// images name the same object, which replay maps once for all.
    /// </summary>
    private Dictionary<(ulong Device, ulong Inode), SafeFileHandle> FreezeSharedMemory(IEnumerable<int> processes)
    {
        var frozen = new Dictionary<(ulong Device, ulong Inode), SafeFileHandle>();
        try
        {
            foreach (int pid in processes)
            {
                var shared = AddressSpace.Read(pid).Regions.Where(IsSharedMemory);
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
    /// mappings replay holds as anonymous copies (all but those of files the program writes
    /// through, which replay maps from a stand-in file that refills them itself).
    /// </summary>
    private void CaptureFilePages(OutputCapture capture, ulong start, ulong length)
    {
        ulong end = start + length;
        foreach (var region in AddressSpace.Read(_current.Tracee.Pid).Regions)
        {
            // The kernel names shared anonymous memory "/dev/zero (deleted)": no file refills it.
            if (region.IsFile && !region.Name.StartsWith(ZeroDevice, StringComparison.Ordinal) && region.Start.Value < end && region.End.Value > start && !(region.Shared && _writtenThrough.Contains((region.Device, region.Inode))))
            {
                ulong from = Math.Max(start, region.Start.Value);
                capture.At(from, (long)(Math.Min(end, region.End.Value) - from));
            }
        }
    }

    private static bool MapsFile(in Registers entry, long result) =>
        entry.SyscallNumber == Nr.mmap && !Errno.IsError(result) && (entry.Arg(3) & Interop.MAP_ANONYMOUS) == 0;

    /// <summary>MAP_SHARED (or MAP_SHARED_VALIDATE) on a descriptor open for reading and writing.</summary>
    private bool WritesThrough(in Registers entry)
    {
        const ulong MapType = 0x03, MapPrivate = 0x02;
        if ((entry.Arg(3) & MapType) == MapPrivate)
        {
            return false;
        }
        return (FdInfo.Flags(FdInfo.Read(_current.Tracee.Tgid, (int)entry.Arg(4))) & 3) == Interop.O_RDWR;
    }
}
