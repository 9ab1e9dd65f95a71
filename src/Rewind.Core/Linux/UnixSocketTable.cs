using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Rewind.Linux;

/// <summary>
/// Every UNIX socket of our network namespace, read in one NETLINK_SOCK_DIAG dump
/// (sock_diag(7)): the one way to learn a socket's peer, which /proc/net/unix does not show.
/// Empty where the kernel has no unix_diag.
/// </summary>
internal sealed class UnixSocketTable
{
    private const int NETLINK_SOCK_DIAG = 4, SOCK_DIAG_BY_FAMILY = 20, NLM_F_REQUEST = 1, NLM_F_DUMP = 0x300, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private const int UDIAG_SHOW_NAME = 1, UDIAG_SHOW_PEER = 4, UDIAG_SHOW_RQLEN = 0x10;
    private const int UNIX_DIAG_NAME = 0, UNIX_DIAG_PEER = 2, UNIX_DIAG_RQLEN = 4, UNIX_DIAG_SHUTDOWN = 6;
    private const int TCP_ESTABLISHED = 1, TCP_LISTEN = 10;
    private readonly Dictionary<ulong, UnixSocket> _sockets;

    private UnixSocketTable(Dictionary<ulong, UnixSocket> sockets) => _sockets = sockets;

    public UnixSocket? this[ulong inode] => _sockets.GetValueOrDefault(inode);

    public static unsafe UnixSocketTable Read()
    {
        using var netlink = new SafeFileHandle((nint)Interop.Check(Interop.socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, NETLINK_SOCK_DIAG), "socket(AF_NETLINK)"), ownsHandle: true);
        // struct nlmsghdr (16 bytes), then struct unix_diag_req: family, protocol, pad, states, ino, show, cookie[2].
        var request = new byte[16 + 24];
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)request.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), SOCK_DIAG_BY_FAMILY);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(6), NLM_F_REQUEST | NLM_F_DUMP);
        request[16] = Interop.AF_UNIX;
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(20), uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(28), UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN);
        fixed (byte* p = request)
        {
            Interop.Check(Interop.send(netlink, p, request.Length, 0), "send(sock_diag)");
        }
        var sockets = new Dictionary<ulong, UnixSocket>();
        var buffer = new byte[64 * 1024];
        bool done = false;
        while (!done)
        {
            long n;
            fixed (byte* p = buffer)
            {
                n = Interop.Check(Interop.recv(netlink, p, buffer.Length, 0), "recv(sock_diag)");
            }
            done = Add(buffer.AsSpan(0, (int)n), sockets);
        }
        return new UnixSocketTable(sockets);
    }

    /// <summary>
    /// Adds the sockets of one datagram of the dump (netlink messages, each a struct nlmsghdr and
    /// a unix_diag_msg, 4-aligned) to <paramref name="sockets"/>; true once the dump is done. A
    /// kernel without unix_diag (CONFIG_UNIX_DIAG) answers an error: nothing is known then, so
    /// each UNIX socket is named from /proc/net/unix and refused.
    /// </summary>
    internal static bool Add(ReadOnlySpan<byte> datagram, Dictionary<ulong, UnixSocket> sockets)
    {
        for (int at = 0; at + 16 <= datagram.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[at..]);
            int type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[(at + 4)..]);
            if (type == NLMSG_ERROR)
            {
                sockets.Clear();
                return true;
            }
            if (type == NLMSG_DONE)
            {
                return true;
            }
            if (length < 16 + 16 || length > datagram.Length - at)
            {
                throw new RewindException($"the kernel's sock_diag answered a malformed message of {length} bytes at byte {at} of {datagram.Length}");
            }
            var socket = Parse(datagram.Slice(at + 16, length - 16));
            sockets[socket.Inode] = socket;
            at += (length + 3) & ~3;
        }
        return false;
    }

    /// <summary>struct unix_diag_msg (family, type, state, pad, ino, cookie[2]) and its attributes (struct rtattr: length, type, value, 4-aligned).</summary>
    private static UnixSocket Parse(ReadOnlySpan<byte> message)
    {
        var socket = new UnixSocket(BinaryPrimitives.ReadUInt32LittleEndian(message[4..]), (SocketType)message[1], message[2] == TCP_LISTEN, message[2] == TCP_ESTABLISHED, 0, null, 0, 0, 0);
        for (int at = 16; at + 4 <= message.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(message[at..]);
            if (length < 4 || at + length > message.Length)
            {
                break;
            }
            var value = message.Slice(at + 4, length - 4);
            socket = BinaryPrimitives.ReadUInt16LittleEndian(message[(at + 2)..]) switch
            {
                UNIX_DIAG_NAME => socket with { Name = NameOf(value) },
                UNIX_DIAG_PEER when value.Length >= 4 => socket with { Peer = BinaryPrimitives.ReadUInt32LittleEndian(value) },
                // struct unix_diag_rqlen: a listener's pending connections and backlog, else the bytes to read and those written unread.
                UNIX_DIAG_RQLEN when value.Length >= 8 => socket with { Queued = BinaryPrimitives.ReadUInt32LittleEndian(value), Backlog = socket.Listening ? BinaryPrimitives.ReadUInt32LittleEndian(value[4..]) : 0 },
                UNIX_DIAG_SHUTDOWN when value.Length >= 1 => socket with { Shutdown = value[0] },
                _ => socket,
            };
            at += (length + 3) & ~3;
        }
        return socket;
    }

    /// <summary>sun_path as bound: a path, or an abstract name (a leading NUL, unix(7)) written "@name".</summary>
    private static string? NameOf(ReadOnlySpan<byte> path) =>
        path.IsEmpty ? null : path[0] == 0 ? "@" + Encoding.UTF8.GetString(path[1..]) : Encoding.UTF8.GetString(path.TrimEnd((byte)0));
}
