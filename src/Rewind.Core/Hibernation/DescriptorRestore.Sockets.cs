using System.Text;
using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// UNIX sockets: a connection whose both ends the process held is one socketpair again, its
/// queued messages sent anew from the other end and its shutdowns repeated; a socket connected
/// to nothing is bound again to its name, and listens again with its backlog. What takes a
/// buffer (bind, send) is done from our side, through copies of the stub's new descriptors.
/// </summary>
internal sealed partial class DescriptorRestore
{
    private readonly Dictionary<ulong, int> _sockets = [];

    /// <summary>The socket of <paramref name="d"/>, parked: made with its peer when the first end of its connection is met.</summary>
    private int UnixSocket(SavedDescriptor d, IReadOnlyList<SavedDescriptor> saved)
    {
        var socket = d.Socket!;
        if (!_sockets.ContainsKey(socket.Inode) && socket.Peer != 0)
        {
            Pair(d, saved.First(s => s.Socket?.Inode == socket.Peer && s.SameAs == null));
        }
        else if (!_sockets.ContainsKey(socket.Inode))
        {
            _sockets[socket.Inode] = Alone(d);
        }
        return _sockets[socket.Inode];
    }

    private void Pair(SavedDescriptor one, SavedDescriptor other)
    {
        var (a, b) = (one.Socket!, other.Socket!);
        byte[] ends = _stub.InjectSyscallWithBuffer("socketpair", Nr.socketpair, new byte[8],
            at => [Interop.AF_UNIX, (ulong)a.Type | Interop.SOCK_CLOEXEC, 0, at]).Buffer;
        _sockets[a.Inode] = Park(BitConverter.ToInt32(ends, 0));
        _sockets[b.Inode] = Park(BitConverter.ToInt32(ends, 4));
        using SafeFileHandle copyA = _pidfd.Copy(_sockets[a.Inode]), copyB = _pidfd.Copy(_sockets[b.Inode]);
        SetSendBuffer(copyA, a.SendBuffer);
        SetSendBuffer(copyB, b.SendBuffer);
        // What waits at one end was sent by the other; data first, as a shut-down end sends nothing.
        SocketQueue.Send(copyB, a.Queued ?? [], one.Describe());
        SocketQueue.Send(copyA, b.Queued ?? [], other.Describe());
        Shutdown(copyA, a.Shutdown);
        Shutdown(copyB, b.Shutdown);
    }

    /// <summary>
    /// A socket connected to nothing: bound again to its name (a stale socket file of the old
    /// process removed first), listening if it did; datagrams that waited at a bound one are
    /// sent to it again, from an unnamed socket of ours. One whose peer closed is one end of a
    /// socketpair again, the other end closed once it has sent what the old peer had.
    /// </summary>
    private unsafe int Alone(SavedDescriptor d)
    {
        var socket = d.Socket!;
        if (socket.Connected)
        {
            return Orphaned(d, socket.Queued ?? []);
        }
        int fd = Park((int)_stub.InjectSyscallChecked("socket(AF_UNIX)", Nr.socket, Interop.AF_UNIX, (ulong)socket.Type | Interop.SOCK_CLOEXEC, 0));
        using var copy = _pidfd.Copy(fd);
        if (socket.Name is { } name)
        {
            if (!name.StartsWith('@') && Interop.Stat(name) is { IsSocket: true })
            {
                File.Delete(name);
            }
            byte[] address = Address(name);
            fixed (byte* p = address)
            {
                Interop.Check(Interop.bind(copy, p, address.Length), $"bind of {d.Describe()}");
            }
            if (socket.Queued is { Count: > 0 } datagrams)
            {
                using var sender = new SafeFileHandle((nint)Interop.Check(Interop.socket(Interop.AF_UNIX, (int)socket.Type | Interop.SOCK_CLOEXEC, 0), "socket(AF_UNIX)"), ownsHandle: true);
                fixed (byte* p = address)
                {
                    Interop.Check(Interop.connect(sender, p, address.Length), $"connect to {d.Describe()}");
                }
                SocketQueue.Send(sender, datagrams, d.Describe());
            }
        }
        if (socket.Listening)
        {
            Interop.Check(Interop.listen(copy, socket.Backlog), $"listen of {d.Describe()}");
        }
        Shutdown(copy, socket.Shutdown);
        return fd;
    }

    /// <summary>struct sockaddr_un: sun_family, then sun_path: a path ends in NUL, an abstract name starts with one (unix(7)).</summary>
    private static byte[] Address(string name)
    {
        byte[] path = name.StartsWith('@') ? [0, .. Encoding.UTF8.GetBytes(name[1..])] : [.. Encoding.UTF8.GetBytes(name), 0];
        return [Interop.AF_UNIX, 0, .. path];
    }

    private int Orphaned(SavedDescriptor d, IReadOnlyList<byte[]> queued)
    {
        byte[] ends = _stub.InjectSyscallWithBuffer("socketpair", Nr.socketpair, new byte[8],
            at => [Interop.AF_UNIX, (ulong)d.Socket!.Type | Interop.SOCK_CLOEXEC, 0, at]).Buffer;
        int peer = BitConverter.ToInt32(ends, 4);
        using (var sender = _pidfd.Copy(peer))
        {
            SocketQueue.Send(sender, queued, d.Describe());
        }
        // Its close shuts a stream or seqpacket survivor down both ways (unix_release_sock), as the old peer's did.
        _stub.InjectSyscall(Nr.close, (ulong)peer);
        int fd = Park(BitConverter.ToInt32(ends, 0));
        using var copy = _pidfd.Copy(fd);
        Shutdown(copy, d.Socket!.Shutdown);
        return fd;
    }

    /// <summary>
    /// SO_SNDBUF as it was: getsockopt shows twice what setsockopt set (socket(7)); beyond
    /// net.core.wmem_max it takes SO_SNDBUFFORCE, which needs CAP_NET_ADMIN.
    /// </summary>
    private static void SetSendBuffer(SafeFileHandle socket, int size)
    {
        if (size > 0 && Interop.GetSocketOption(socket, Interop.SO_SNDBUF) != size
            && Interop.SetSocketOption(socket, Interop.SO_SNDBUFFORCE, size / 2) < 0)
        {
            _ = Interop.SetSocketOption(socket, Interop.SO_SNDBUF, size / 2);
        }
    }

    /// <summary>sk_shutdown's bits (RCV_SHUTDOWN 1, SEND_SHUTDOWN 2) are shutdown(2)'s <c>how</c> plus one.</summary>
    private static void Shutdown(SafeFileHandle socket, int bits)
    {
        if (bits != 0)
        {
            Interop.Check(Interop.shutdown(socket, bits - 1), "shutdown");
        }
    }
}
