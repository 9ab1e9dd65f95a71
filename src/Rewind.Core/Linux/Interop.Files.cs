using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buffer);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int memfd_create(string name, uint flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int ftruncate(SafeHandle fd, long length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial long lseek(SafeHandle fd, long offset, int whence);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint copy_file_range(SafeHandle fdIn, long* offIn, SafeHandle fdOut, long* offOut, nint length, uint flags);

    internal const uint MFD_CLOEXEC = 1;
    internal const int SEEK_DATA = 3, SEEK_HOLE = 4;

    /// <summary>A file's identity from stat(2): (st_dev, st_ino, st_size, st_mtim) in x86-64's struct stat.</summary>
    internal static unsafe (ulong Dev, ulong Ino, long Size, long Mtime)? FileIdentity(string path)
    {
        Span<byte> st = stackalloc byte[144];
        fixed (byte* p = st)
        {
            if (stat(path, p) != 0)
            {
                return null;
            }
        }
        long mtime = BinaryPrimitives.ReadInt64LittleEndian(st[88..]) * 1_000_000_000 + BinaryPrimitives.ReadInt64LittleEndian(st[96..]);
        return (BinaryPrimitives.ReadUInt64LittleEndian(st), BinaryPrimitives.ReadUInt64LittleEndian(st[8..]), BinaryPrimitives.ReadInt64LittleEndian(st[48..]), mtime);
    }
}
