namespace Rewind.Linux;

/// <summary>
/// One UNIX socket as the kernel's sock_diag describes it (linux/unix_diag.h): its inode, type,
/// state (listening, or connected: TCP_ESTABLISHED, kept when the peer closes), the inode of
/// its peer (0 for none, or a peer closed), the name it is bound to ("/run/app.sock", "@abstract",
/// null for none), its bytes waiting to be read (for a datagram socket, the first message's;
/// for a listener, the connections not yet accepted), a listener's backlog, and its
/// shutdown bits (RCV_SHUTDOWN 1, SEND_SHUTDOWN 2).
/// </summary>
internal sealed record UnixSocket(ulong Inode, SocketType Type, bool Listening, bool Connected, ulong Peer, string? Name, uint Queued, uint Backlog, int Shutdown);
