using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rewind.Linux;

internal static partial class Interop
{
    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buffer);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int lstat(string path, byte* buffer);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statfs(string path, byte* buffer);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int memfd_create(string name, uint flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int ftruncate(SafeHandle fd, long length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial long lseek(SafeHandle fd, long offset, int whence);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int fallocate(SafeHandle fd, int mode, long offset, long length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint copy_file_range(SafeHandle fdIn, long* offIn, SafeHandle fdOut, long* offOut, nint length, uint flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int fsync(SafeHandle fd);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint read(SafeHandle fd, byte* buffer, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int open_by_handle_at(int mountFd, byte* handle, int flags);

    /// <summary>A descriptor of the directory <paramref name="path"/> (to fsync a rename in it).</summary>
    internal static SafeFileHandle OpenDirectory(string path) =>
        new((nint)Check(open(path, O_DIRECTORY | O_CLOEXEC, 0), $"open {path}"), ownsHandle: true);

    internal const uint MFD_CLOEXEC = 1;
    internal const int O_DIRECTORY = 0x10000;
    internal const int SEEK_DATA = 3, SEEK_HOLE = 4;

    // fallocate(2) modes (linux/falloc.h).
    internal const int FALLOC_FL_KEEP_SIZE = 0x01, FALLOC_FL_PUNCH_HOLE = 0x02, FALLOC_FL_COLLAPSE_RANGE = 0x08, FALLOC_FL_ZERO_RANGE = 0x10, FALLOC_FL_INSERT_RANGE = 0x20;

    /// <summary>The type of the file system <paramref name="path"/> is on (statfs(2)'s f_type, a magic number of linux/magic.h); null when it cannot be told.</summary>
    internal static unsafe long? FileSystemType(string path)
    {
        // struct statfs of x86-64: f_type is its first word, of 120 bytes.
        Span<byte> buffer = stackalloc byte[120];
        fixed (byte* p = buffer)
        {
            return statfs(path, p) == 0 ? BinaryPrimitives.ReadInt64LittleEndian(buffer) : null;
        }
    }

    /// <summary>stat(2) of <paramref name="path"/> (following links), read from x86-64's struct stat; null when it fails.</summary>
    internal static unsafe FileStatus? Stat(string path) => StatOf(path, &stat);

    /// <summary>lstat(2) of <paramref name="path"/>: of a link itself, not followed; null when it fails.</summary>
    internal static unsafe FileStatus? LinkStat(string path) => StatOf(path, &lstat);

    private static unsafe FileStatus? StatOf(string path, delegate*<string, byte*, int> call)
    {
        Span<byte> st = stackalloc byte[144];
        fixed (byte* p = st)
        {
            if (call(path, p) != 0)
            {
                return null;
            }
        }
        long mtime = BinaryPrimitives.ReadInt64LittleEndian(st[88..]) * 1_000_000_000 + BinaryPrimitives.ReadInt64LittleEndian(st[96..]);
        long ctime = BinaryPrimitives.ReadInt64LittleEndian(st[104..]) * 1_000_000_000 + BinaryPrimitives.ReadInt64LittleEndian(st[112..]);
        return new FileStatus(BinaryPrimitives.ReadUInt64LittleEndian(st), BinaryPrimitives.ReadUInt64LittleEndian(st[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(st[24..]), BinaryPrimitives.ReadUInt64LittleEndian(st[40..]), BinaryPrimitives.ReadInt64LittleEndian(st[48..]), mtime)
        {
            Owner = BinaryPrimitives.ReadUInt32LittleEndian(st[28..]),
            Group = BinaryPrimitives.ReadUInt32LittleEndian(st[32..]),
            ChangedNanos = ctime,
        };
    }
}

/// <summary>What stat(2) says of a file: its identity (device, inode), type and permissions (st_mode), the device it is (st_rdev), size, modification and change times.</summary>
internal readonly record struct FileStatus(ulong Device, ulong Inode, uint Mode, ulong RawDevice, long Size, long ModifiedNanos)
{
    private const uint TypeMask = 0xf000, SetUserId = 0x800, SetGroupId = 0x400;

    public uint Owner { get; init; }

    public uint Group { get; init; }

    /// <summary>The last change of its content or its inode (st_ctim), which no program can set.</summary>
    public long ChangedNanos { get; init; }

    /// <summary>The file's set-user-ID bit: exec runs it as its owner.</summary>
    public bool IsSetUserId => (Mode & SetUserId) != 0;

    /// <summary>The file's set-group-ID bit on an executable (group-executable): exec runs it with its group.</summary>
    public bool IsSetGroupId => (Mode & SetGroupId) != 0 && (Mode & 0x8) != 0;

    public bool IsRegular => (Mode & TypeMask) == 0x8000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsCharacterDevice => (Mode & TypeMask) == 0x2000;

    public bool IsPipe => (Mode & TypeMask) == 0x1000;

    public bool IsSocket => (Mode & TypeMask) == 0xC000;

    /// <summary>A terminal: a tty (major 4), /dev/tty, /dev/console or a pseudo-terminal master /dev/ptmx (5), or a pseudo-terminal (136).</summary>
    public bool IsTerminal => IsCharacterDevice && DeviceMajor is 4 or 5 or 136;

    /// <summary>The major number of the device the file is (st_rdev, glibc's gnu_dev_major).</summary>
    public uint DeviceMajor => (uint)((RawDevice >> 8 & 0xfff) | (RawDevice >> 32 & ~0xfffUL));

    /// <summary>The minor number of the device the file is (st_rdev, glibc's gnu_dev_minor).</summary>
    public uint DeviceMinor => (uint)((RawDevice & 0xff) | (RawDevice >> 12 & 0xffffff00));

    /// <summary>
    /// The identity a file's content is known by: it changes when the file is replaced or written,
    /// the change time even where the modification time is set back.
    /// </summary>
    public FileIdentity Identity => new(Device, Inode, Size, ModifiedNanos, ChangedNanos);
}

/// <summary>What a file's content is known by (<see cref="FileStatus.Identity"/>).</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, long ModifiedNanos, long ChangedNanos);
