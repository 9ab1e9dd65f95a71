using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Rewind.Linux;
using SocketType = Rewind.Linux.SocketType;

namespace Rewind.Core.Tests.Linux;

/// <summary>unix_diag answers, hand-made (linux/unix_diag.h) and from this kernel.</summary>
public sealed class UnixSocketTableTests
{
    private const int UNIX_DIAG_NAME = 0, UNIX_DIAG_PEER = 2, UNIX_DIAG_RQLEN = 4, UNIX_DIAG_SHUTDOWN = 6;

    [Fact]
    public void A_listener_and_a_connected_end_are_read_with_their_names_peers_and_queues()
    {
        byte[] datagram = [
            .. Message(100, type: 1, state: 10, Attribute(UNIX_DIAG_NAME, [.. "/run/app.sock"u8]), Attribute(UNIX_DIAG_RQLEN, [.. U32(2), .. U32(128)]), Attribute(UNIX_DIAG_SHUTDOWN, [0])),
            .. Message(101, type: 5, state: 1, Attribute(UNIX_DIAG_NAME, [0, .. "bus"u8]), Attribute(UNIX_DIAG_PEER, U32(102)), Attribute(UNIX_DIAG_RQLEN, [.. U32(7), .. U32(0)]), Attribute(UNIX_DIAG_SHUTDOWN, [2])),
            .. Done()];
        var sockets = new Dictionary<ulong, UnixSocket>();

        Assert.True(UnixSocketTable.Add(datagram, sockets));

        Assert.Equal(new UnixSocket(100, SocketType.Stream, true, false, 0, "/run/app.sock", 2, 128, 0), sockets[100]);
        Assert.Equal(new UnixSocket(101, SocketType.SeqPacket, false, true, 102, "@bus", 7, 0, 2), sockets[101]);
    }

    [Fact]
    public void Truncated_at_every_byte_is_refused_or_read_short_never_out_of_bounds()
    {
        byte[] datagram = Message(100, type: 2, state: 7, Attribute(UNIX_DIAG_NAME, [.. "/tmp/x"u8]), Attribute(UNIX_DIAG_PEER, U32(5)), Attribute(UNIX_DIAG_RQLEN, [.. U32(1), .. U32(2)]));
        for (int length = 0; length < datagram.Length; length++)
        {
            // The message's own length then says more than the datagram holds.
            byte[] cut = datagram[..length];
            var sockets = new Dictionary<ulong, UnixSocket>();
            if (length < 16)
            {
                Assert.False(UnixSocketTable.Add(cut, sockets));
                continue;
            }
            var e = Assert.Throws<RewindException>(() => UnixSocketTable.Add(cut, sockets));
            Assert.Contains("malformed message", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Attributes_shorter_than_their_values_are_skipped()
    {
        byte[] datagram = Message(100, type: 1, state: 1, Attribute(UNIX_DIAG_PEER, [1, 2]), Attribute(UNIX_DIAG_RQLEN, U32(3)), Attribute(UNIX_DIAG_SHUTDOWN, []));
        var sockets = new Dictionary<ulong, UnixSocket>();

        UnixSocketTable.Add(datagram, sockets);

        Assert.Equal(new UnixSocket(100, SocketType.Stream, false, true, 0, null, 0, 0, 0), sockets[100]);
    }

    [Fact]
    public void A_kernel_without_unix_diag_answers_an_error_and_nothing_is_known()
    {
        var sockets = new Dictionary<ulong, UnixSocket> { [1] = new UnixSocket(1, SocketType.Stream, false, false, 0, null, 0, 0, 0) };

        Assert.True(UnixSocketTable.Add(Header(type: 2, 20), sockets));

        Assert.Empty(sockets);
    }

    [Fact]
    public void This_kernel_shows_a_listener_with_its_path_and_a_connection_with_its_peer()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rewind-diag-{Environment.ProcessId}.sock");
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(7);
        using var client = new Socket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        using var accepted = listener.Accept();
        client.Send("queued"u8);
        try
        {
            var table = UnixSocketTable.Read();

            var listening = table[InodeOf(listener)]!;
            Assert.True(listening.Listening);
            Assert.Equal(path, listening.Name);
            Assert.Equal(7u, listening.Backlog);
            var server = table[InodeOf(accepted)]!;
            Assert.Equal(InodeOf(client), server.Peer);
            Assert.True(server.Connected);
            Assert.Equal(6u, server.Queued);
            Assert.Equal(InodeOf(accepted), table[InodeOf(client)]!.Peer);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ulong InodeOf(Socket socket)
    {
        string target = new FileInfo($"/proc/self/fd/{socket.SafeHandle.DangerousGetHandle()}").LinkTarget!;
        return ulong.Parse(target["socket:[".Length..^1]);
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>struct rtattr: length (header included), type, value, padded to 4.</summary>
    private static byte[] Attribute(int type, byte[] value)
    {
        var bytes = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)type);
        value.CopyTo(bytes, 4);
        return bytes;
    }

    /// <summary>struct nlmsghdr, then struct unix_diag_msg: family, type, state, pad, ino, cookie[2].</summary>
    private static byte[] Message(uint inode, byte type, byte state, params byte[][] attributes)
    {
        byte[] body = [1, type, state, 0, .. U32(inode), .. new byte[8], .. attributes.SelectMany(a => a)];
        return [.. Header(20, 16 + body.Length), .. body];
    }

    private static byte[] Done() => Header(type: 3, 16);

    private static byte[] Header(int type, int length)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), (ushort)type);
        return bytes;
    }
}
