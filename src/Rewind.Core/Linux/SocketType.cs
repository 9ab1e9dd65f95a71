namespace Rewind.Linux;

/// <summary>The type of a socket, socket(2)'s second argument.</summary>
public enum SocketType
{
    Stream = 1,
    Datagram = 2,
    SeqPacket = 5,
}
