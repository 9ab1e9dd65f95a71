using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buffer);

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
