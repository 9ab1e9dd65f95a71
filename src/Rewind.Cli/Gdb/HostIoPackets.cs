using System.Buffers.Binary;

namespace Rewind.Cli.Gdb;

/// <summary>
/// vFile (gdb's "host I/O"): gdb reads the program and its libraries through these when its
/// sysroot is "target:" (the default). They are served from the trace, which holds every file
/// the program mapped, so gdb needs nothing from the recording machine. Read-only; other paths
/// do not exist. Errno values are gdb's File-I/O ones.
/// </summary>
internal sealed class HostIoPackets(GdbSession session) : IPacketHandler
{
    private const int ENOENT = 2, EBADF = 9, EACCES = 13, EINVAL = 22;
    private const int GdbOpenWriteMask = 0x1 | 0x2 | 0x8 | 0x200 | 0x400; // O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_TRUNC
    private const int MaxOpen = 64;

    private readonly Dictionary<int, byte[]> _open = [];
    private int _nextFd = 3;

    public string? Handle(string packet)
    {
        if (!packet.StartsWith("vFile:", StringComparison.Ordinal))
        {
            return null;
        }
        int colon = packet.IndexOf(':', 6);
        string operation = colon < 0 ? packet[6..] : packet[6..colon];
        var args = colon < 0 ? [] : packet[(colon + 1)..].Split(',');
        return operation switch
        {
            "setfs" => "F0",
            "open" when args.Length >= 2 => Open(GdbHex.DecodeText(args[0]), GdbHex.ParseInt(args[1])),
            "pread" when args.Length == 3 => Read(GdbHex.ParseInt(args[0]), GdbHex.ParseInt(args[1]), GdbHex.ParseNumber(args[2])),
            "fstat" when args.Length == 1 => Stat(GdbHex.ParseInt(args[0])),
            "close" when args.Length == 1 => _open.Remove(GdbHex.ParseInt(args[0])) ? "F0" : Fail(EBADF),
            "readlink" => Fail(ENOENT),
            "pwrite" or "unlink" => Fail(EACCES),
            "open" or "pread" or "fstat" or "close" => Fail(EINVAL),
            _ => Replies.Unsupported,
        };
    }

    private static string Fail(int errno) => $"F-1,{errno:x}";

    private string Open(string path, int flags)
    {
        if ((flags & GdbOpenWriteMask) != 0)
        {
            return Fail(EACCES);
        }
        if (session.Process.FindFile(path) is not { } blob || _open.Count >= MaxOpen)
        {
            return Fail(ENOENT);
        }
        int fd = _nextFd++;
        _open[fd] = session.Timeline.Trace.Blob(blob);
        return $"F{fd:x}";
    }

    private string Read(int fd, int count, ulong offset)
    {
        if (!_open.TryGetValue(fd, out var content))
        {
            return Fail(EBADF);
        }
        if (offset >= (ulong)content.Length)
        {
            return "F0;";
        }
        // Escaping may double the data: keep the reply within the packet size gdb was told.
        int take = (int)Math.Min((ulong)Math.Min(count, QueryPackets.PacketSize / 2 - 16), (ulong)content.Length - offset);
        return $"F{take:x};" + PacketConnection.Binary(content.AsSpan((int)offset, take));
    }

    /// <summary>gdb's struct stat: big-endian, 32-bit fields except size, blksize and blocks.</summary>
    private string Stat(int fd)
    {
        if (!_open.TryGetValue(fd, out var content))
        {
            return Fail(EBADF);
        }
        var st = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(st.AsSpan(8), 0x8124); // st_mode: a regular file, r--r--r--
        BinaryPrimitives.WriteUInt32BigEndian(st.AsSpan(12), 1); // st_nlink
        BinaryPrimitives.WriteUInt64BigEndian(st.AsSpan(28), (ulong)content.Length);
        BinaryPrimitives.WriteUInt64BigEndian(st.AsSpan(36), 4096);
        BinaryPrimitives.WriteUInt64BigEndian(st.AsSpan(44), ((ulong)content.Length + 511) / 512);
        return $"F{st.Length:x};" + PacketConnection.Binary(st);
    }
}
