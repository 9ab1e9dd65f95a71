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
/// them, or the pages would be shared between snapshots and the run that goes on.
/// </summary>
internal sealed class SharedFiles : IDisposable
{
    private readonly Dictionary<(ulong Device, ulong Inode), StandIn> _files = [];

    /// <summary>A memfd of ours and its inode, which names its mappings in /proc/PID/maps.</summary>
    private sealed record StandIn(SafeFileHandle Handle, ulong Inode)
    {
        public string Path => $"/proc/{Environment.ProcessId}/fd/{Handle.DangerousGetHandle()}";
    }

    /// <summary>At the exit of mmap <paramref name="e"/>, whose range replay reserved: maps the stand-in of its file there.</summary>
    public void Map(Tracee tracee, SyscallEvent e, SharedFileMapping m, byte[] content)
    {
        if (!_files.TryGetValue((m.Device, m.Inode), out var file))
        {
            file = Create(m.Path);
            _files[(m.Device, m.Inode)] = file;
        }
        Resize(file, (long)m.FileSize);
        RandomAccess.Write(file.Handle, content, (long)e.Args[5]);
        MapInto(tracee, file, [((ulong)e.Result, e.Args[1], e.Args[2], e.Args[5])]);
    }

    /// <summary>
    /// Stand-ins for <paramref name="copy"/>, a fork of this session's process whose mappings
    /// still share pages with ours: each file copied (its data, not its holes) and mapped again
    /// wherever the copy maps it.
    /// </summary>
    public SharedFiles CopyFor(Tracee copy)
    {
        var copies = new SharedFiles();
        if (_files.Count == 0)
        {
            return copies;
        }
        var regions = AddressSpace.Read(copy.Tgid).Regions;
        try
        {
            foreach (var (key, file) in _files)
            {
                var twin = Create($"copy of {key.Inode}");
                copies._files[key] = twin;
                CopyData(file, twin);
                MapInto(copy, twin, regions.Where(r => r.Shared && r.Inode == file.Inode)
                    .Select(r => (r.Start.Value, r.Length, (ulong)r.Protection, r.FileOffset)));
            }
            return copies;
        }
        catch
        {
            copies.Dispose();
            throw;
        }
    }

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
        int fd = (int)Interop.Check(Interop.memfd_create($"rewind {name}", Interop.MFD_CLOEXEC), "memfd_create");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var identity = Interop.FileIdentity($"/proc/self/fd/{fd}") ?? throw new RewindException("a new memfd cannot be read back");
        return new StandIn(handle, identity.Ino);
    }

    private static void Resize(StandIn file, long size) =>
        Interop.Check(Interop.ftruncate(file.Handle, size), "ftruncate");

    /// <summary>Copies the data extents of <paramref name="from"/>: a JIT's memfd is gigabytes of holes around a few megabytes of code.</summary>
    private static unsafe void CopyData(StandIn from, StandIn to)
    {
        long size = RandomAccess.GetLength(from.Handle);
        Resize(to, size);
        long offset = 0;
        while (offset < size && (offset = Interop.lseek(from.Handle, offset, Interop.SEEK_DATA)) >= 0)
        {
            long end = Interop.Check(Interop.lseek(from.Handle, offset, Interop.SEEK_HOLE), "lseek(SEEK_HOLE)");
            long input = offset, output = offset;
            while (input < end && Interop.Check(Interop.copy_file_range(from.Handle, &input, to.Handle, &output, (nint)(end - input), 0), "copy_file_range") > 0)
            {
            }
            offset = end;
        }
    }

    /// <summary>Opens <paramref name="file"/> in the tracee, maps it shared at each range, and closes it again.</summary>
    private static void MapInto(Tracee tracee, StandIn file, IEnumerable<(ulong Start, ulong Length, ulong Protection, ulong Offset)> ranges)
    {
        int fd = tracee.InjectOpen(file.Path, Interop.O_RDWR | Interop.O_CLOEXEC);
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
