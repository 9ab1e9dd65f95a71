using Rewind.Linux;

namespace Rewind.Hibernation;

/// <summary>
/// A UNIX socket of a hibernated process, as unix_diag (<see cref="UnixSocketTable"/>) and a copy
/// of it showed it. <see cref="Inode"/> names it and <see cref="Peer"/> the other end of its
/// connection (0 for none), which the process holds too: the two are made again as one
/// socketpair. <see cref="Name"/> is the address it is bound to (an absolute path, or
/// "@name" for an abstract one), bound again with a listener's <see cref="Backlog"/>.
/// <see cref="Connected"/> says it was connected: with no peer, its peer had closed, leaving
/// it what it had sent. <see cref="Shutdown"/> holds its shutdown bits (RCV_SHUTDOWN 1, SEND_SHUTDOWN 2);
/// <see cref="SendBuffer"/> its SO_SNDBUF, which bounds what its peer can hold unread;
/// <see cref="Queued"/> the messages waiting to be read at this end, in order (a stream's bytes
/// as one).
/// </summary>
public sealed record SavedSocket(
    ulong Inode,
    SocketType Type,
    ulong Peer = 0,
    string? Name = null,
    bool Listening = false,
    int Backlog = 0,
    int Shutdown = 0,
    int SendBuffer = 0,
    IReadOnlyList<byte[]>? Queued = null,
    bool Connected = false)
{
    /// <summary>"a UNIX stream socket connected within the process", "a listening UNIX seqpacket socket at @bus", "a UNIX datagram socket at /run/log".</summary>
    public override string ToString()
    {
        string type = Type.ToString().ToLowerInvariant();
        return Peer != 0 ? $"a UNIX {type} socket connected within the process"
            : Connected ? $"a UNIX {type} socket whose peer closed"
            : Listening ? $"a listening UNIX {type} socket at {Name}"
            : $"a UNIX {type} socket{(Name is null ? "" : $" at {Name}")}";
    }
}
