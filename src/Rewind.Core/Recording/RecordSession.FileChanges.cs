using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    // The most bytes one syscall's change to a mapped file may carry, as for a syscall's output.
    private const long MaxChange = 1L << 30;

    // pwritev2(2): write at the end of the file, whatever the offset.
    private const ulong RwfAppend = 0x10;

    /// <summary>
    /// What the syscall that just ended changed of a file the program maps
    /// (<see cref="_mappedFiles"/>), null for a call that changed no such file. Replay emulates
    /// the call, so without it neither the file's stand-in nor the copies of it replay maps would
    /// change: the stand-in's part is the file's size and its bytes where the call wrote them, read
    /// back from the file; the copies' part, the bytes each recorded process now sees there through
    /// its mappings of the file. A change made outside the recorded processes is not seen.
    /// </summary>
    private FileChange? FileChangeOf(in Registers entry, long result)
    {
        if (Errno.IsError(result) || ChangedFile(entry, result) is not { } open || Interop.Stat(open) is not { } file
            || !_mappedFiles.TryGetValue((file.Device, file.Inode), out long before))
        {
            return null;
        }
        var id = (file.Device, file.Inode);
        _mappedFiles[id] = file.Size;
        var ranges = new List<(long Start, long Length, bool Zeros)> { WrittenRange(entry, result, file.Size) };
        if (file.Size > before)
        {
            // What a mapping wrote past the old end, in its last page, shows once the file grows
            // over it on tmpfs; ext4 zeros it. Either way the file says which.
            ranges.Add((before, Math.Min(file.Size, (long)AddressSpace.PageUp((ulong)before)) - before, false));
        }
        var cut = ranges.Select(r => Cut(r, file.Size)).Where(r => r.Length > 0).ToList();
        List<FileBytes> bytes = [];
        if (_standInFiles.Contains(id))
        {
            using var handle = File.OpenHandle(open);
            bytes = [.. cut.Select(r => ReadBack(handle, r))];
        }
        return new FileChange(file.Device, file.Inode, (ulong)file.Size, bytes, _copiedFiles.Contains(id) ? CopiesOf(id, cut) : []);
    }

    /// <summary>
    /// The bytes of <paramref name="ranges"/> of file <paramref name="id"/> as every recorded
    /// process's mappings of it show them. Replay writes them where it maps a copy of the file,
    /// which it tells from its own maps: a mapping made before the file was first mapped through
    /// a descriptor open for writing is a copy, the later ones of it are not.
    /// </summary>
    private List<CopyWrite> CopiesOf((ulong Device, ulong Inode) id, List<(long Start, long Length, bool Zeros)> ranges)
    {
        var copies = new List<CopyWrite>();
        foreach (var process in _processes)
        {
            foreach (var region in AddressSpace.Read(process.Pid).Regions.Where(r => r.IsFile && (r.Device, r.Inode) == id))
            {
                foreach (var (start, length, _) in ranges)
                {
                    ulong from = Math.Max((ulong)start, region.FileOffset), to = Math.Min((ulong)(start + length), region.FileOffset + region.Length);
                    if (from < to)
                    {
                        var data = new byte[to - from];
                        int n = process.Leader.Read(region.Start + (from - region.FileOffset), data);
                        if (n > 0)
                        {
                            copies.Add(new CopyWrite(process.Pid, new MemoryWrite(region.Start + (from - region.FileOffset), n == data.Length ? data : data[..n])));
                        }
                    }
                }
            }
        }
        return copies;
    }

    /// <summary><paramref name="range"/> cut to a file of <paramref name="size"/> bytes, and refused past <see cref="MaxChange"/> bytes to read.</summary>
    private static (long Start, long Length, bool Zeros) Cut((long Start, long Length, bool Zeros) range, long size)
    {
        long start = Math.Clamp(range.Start, 0, size), length = Math.Clamp(range.Length, 0, size - start);
        if (!range.Zeros && length > MaxChange)
        {
            throw new UnsupportedException($"a syscall changed {length >> 20} MiB at once of a file the program maps; at most {MaxChange >> 20} MiB are supported");
        }
        return (start, length, range.Zeros);
    }

    /// <summary>The bytes of <paramref name="range"/> as the file holds them (none read for zeros).</summary>
    private static FileBytes ReadBack(SafeFileHandle file, (long Start, long Length, bool Zeros) range)
    {
        var data = new byte[range.Zeros ? 0 : range.Length];
        for (int n = 0; n < data.Length && RandomAccess.Read(file, data.AsSpan(n), range.Start + n) is var read and > 0;)
        {
            n += read;
        }
        return new FileBytes((ulong)range.Start, (ulong)range.Length, data);
    }

    /// <summary>The file a successful syscall may have changed, as a path the recorder can open; null for a call that changes none.</summary>
    private string? ChangedFile(in Registers entry, long result)
    {
        int pid = _current.Tracee.Pid;
        return entry.SyscallNumber switch
        {
            Nr.write or Nr.writev or Nr.pwrite64 or Nr.pwritev or Nr.pwritev2 or Nr.sendfile or Nr.ftruncate or Nr.fallocate => $"/proc/{pid}/fd/{(int)entry.Arg(0)}",
            Nr.copy_file_range or Nr.splice => $"/proc/{pid}/fd/{(int)entry.Arg(2)}",
            Nr.truncate when _current.EntryPaths is [var path, ..] => Path.IsPathRooted(path) ? path : $"/proc/{pid}/cwd/{path}",
            Nr.open or Nr.openat or Nr.openat2 or Nr.creat when Truncates(entry) => $"/proc/{pid}/fd/{result}",
            _ => null,
        };
    }

    /// <summary>An open that truncates the file (O_TRUNC; creat always does).</summary>
    private bool Truncates(in Registers entry)
    {
        ulong flags = entry.SyscallNumber switch
        {
            Nr.open => entry.Arg(1),
            Nr.openat => entry.Arg(2),
            // struct open_how begins with its flags (openat2(2)).
            Nr.openat2 => _current.Tracee.ReadUInt64(new RemotePtr(entry.Arg(2))),
            _ => Interop.O_TRUNC,
        };
        return (flags & Interop.O_TRUNC) != 0;
    }

    /// <summary>
    /// Where the call wrote the file: from where, as many bytes as it says; for a hole punched or a
    /// range zeroed, that range, which <c>Zeros</c> says holds zeros now. A truncate changes the
    /// size alone (an empty range).
    /// </summary>
    private (long Start, long Length, bool Zeros) WrittenRange(in Registers entry, long result, long size)
    {
        int pid = _current.Tracee.Pid;
        long Position(ulong fd) => FdInfo.Position(FdInfo.Read(pid, (int)fd));
        switch (entry.SyscallNumber)
        {
            case Nr.write or Nr.writev or Nr.sendfile:
            case Nr.pwritev2 when (long)entry.Arg(3) == -1:
                // Written at the position, which moved past them (to the end with O_APPEND).
                return (Position(entry.Arg(0)) - result, result, false);
            case Nr.pwrite64 or Nr.pwritev or Nr.pwritev2:
                // pwrite(2), BUGS: with O_APPEND the data goes to the end whatever the offset.
                bool appends = (FdInfo.Flags(FdInfo.Read(pid, (int)entry.Arg(0))) & Interop.O_APPEND) != 0
                    || entry.SyscallNumber == Nr.pwritev2 && (entry.Arg(5) & RwfAppend) != 0;
                return (appends ? size - result : (long)entry.Arg(3), result, false);
            case Nr.copy_file_range or Nr.splice:
                // The output offset, or else the position, moved past the bytes copied.
                long end = entry.Arg(3) == 0 ? Position(entry.Arg(2)) : (long)_current.Tracee.ReadUInt64(new RemotePtr(entry.Arg(3)));
                return (end - result, result, false);
            case Nr.fallocate:
                int mode = (int)entry.Arg(1);
                long offset = (long)entry.Arg(2);
                if ((mode & (Interop.FALLOC_FL_COLLAPSE_RANGE | Interop.FALLOC_FL_INSERT_RANGE)) != 0)
                {
                    // The bytes from the offset on moved.
                    return (offset, size - offset, false);
                }
                return (offset, (mode & (Interop.FALLOC_FL_PUNCH_HOLE | Interop.FALLOC_FL_ZERO_RANGE)) != 0 ? (long)entry.Arg(3) : 0, true);
            default:
                return (0, 0, false);
        }
    }
}
