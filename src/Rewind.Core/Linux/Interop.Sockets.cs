using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    internal const int AF_UNIX = 1, AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000;
    internal const int SOL_SOCKET = 1, SO_SNDBUF = 7, SO_PASSCRED = 16, SO_SNDBUFFORCE = 32, SO_PEEK_OFF = 42;
    internal const int MSG_PEEK = 2, MSG_CTRUNC = 8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    internal const int SCM_RIGHTS = 1;

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int bind(SafeHandle fd, byte* address, int length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int connect(SafeHandle fd, byte* address, int length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int listen(SafeHandle fd, int backlog);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int shutdown(SafeHandle fd, int how);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint send(SafeHandle fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint recv(SafeHandle fd, byte* buffer, nint length, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint recvmsg(SafeHandle fd, MessageHeader* message, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial nint sendmsg(SafeHandle fd, MessageHeader* message, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int getsockopt(SafeHandle fd, int level, int name, int* value, int* length);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int setsockopt(SafeHandle fd, int level, int name, int* value, int length);

    /// <summary>struct msghdr (x86-64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MessageHeader
    {
        public void* Name;
        public int NameLength;
        public IoVec* Iov;
        public nint IovLength;
        public void* Control;
        public nint ControlLength;
        public int Flags;
    }

    internal static unsafe int GetSocketOption(SafeHandle fd, int name)
    {
        int value = 0, length = sizeof(int);
        Check(getsockopt(fd, SOL_SOCKET, name, &value, &length), $"getsockopt({name})");
        return value;
    }

    /// <summary>Sends a copy of <paramref name="descriptor"/> over <paramref name="socket"/> (SCM_RIGHTS, unix(7)), with the one byte a message must carry.</summary>
    internal static unsafe void SendDescriptor(SafeHandle socket, SafeHandle descriptor)
    {
        byte data = 0;
        var iov = new IoVec { iov_base = (nint)(&data), iov_len = 1 };
        // struct cmsghdr (cmsg_len, cmsg_level, cmsg_type) and the descriptor: CMSG_SPACE(sizeof(int)) bytes, CMSG_LEN of them used.
        const int Space = 24, Length = 20;
        byte* control = stackalloc byte[Space];
        new Span<byte>(control, Space).Clear();
        *(ulong*)control = Length;
        *(int*)(control + 8) = SOL_SOCKET;
        *(int*)(control + 12) = SCM_RIGHTS;
        *(int*)(control + 16) = (int)descriptor.DangerousGetHandle();
        var header = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = Space };
        Check(sendmsg(socket, &header, MSG_NOSIGNAL), "sendmsg(SCM_RIGHTS)");
    }

    internal static unsafe int SetSocketOption(SafeHandle fd, int name, int value) => setsockopt(fd, SOL_SOCKET, name, &value, sizeof(int));
}
