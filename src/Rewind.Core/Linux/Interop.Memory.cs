using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public nint iov_base;
        public nint iov_len;
    }

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint process_vm_readv(int pid, IoVec* local, nint liovcnt, IoVec* remote, nint riovcnt, nint flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint process_vm_writev(int pid, IoVec* local, nint liovcnt, IoVec* remote, nint riovcnt, nint flags);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint pread64(int fd, byte* buf, nint count, long offset);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint pwrite64(int fd, byte* buf, nint count, long offset);

    internal const int O_RDONLY = 0;
    internal const int O_RDWR = 2;
    internal const int O_ACCMODE = 3, O_CREAT = 0x40, O_TRUNC = 0x200, O_APPEND = 0x400, O_NOFOLLOW = 0x20000;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int O_CLOEXEC = 0x80000;
}
