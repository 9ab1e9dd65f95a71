using System.Buffers.Binary;
using System.IO.Hashing;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

public sealed class SentBytesTests
{
    private static byte[] IoVecs(params (ulong Base, ulong Length)[] vectors)
    {
        var bytes = new byte[vectors.Length * 16];
        for (int i = 0; i < vectors.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 16), vectors[i].Base);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 16 + 8), vectors[i].Length);
        }
        return bytes;
    }

    private static ulong Hash(params byte[][] pieces) => XxHash64.HashToUInt64([.. pieces.SelectMany(p => p)]);

    [Fact]
    public void A_writev_digest_covers_the_iovecs_in_order_up_to_the_result()
    {
        var memory = new FakeMemory().Map(0x1000, 100, 1).Map(0x2000, 50, 2).Map(0x3000, 70, 3)
            .Map(0x9000, IoVecs((0x1000, 100), (0x2000, 0), (0x2000, 50), (0x3000, 70)));

        // The kernel took 100 + 0 + 50 + 30 bytes: the last buffer only in part.
        ulong? digest = SentBytes.Digest(memory, Nr.writev, [4, 0x9000, 4, 0, 0, 0], 180);

        Assert.Equal(Hash(memory.Bytes(0x1000, 100), memory.Bytes(0x2000, 50), memory.Bytes(0x3000, 30)), digest);
        Assert.Equal(digest, XxHash64.HashToUInt64(SentBytes.Bytes(memory, Nr.writev, [4, 0x9000, 4, 0, 0, 0], 180)));
        Assert.NotEqual(digest, SentBytes.Digest(memory, Nr.writev, [4, 0x9000, 4, 0, 0, 0], 181));
    }

    [Fact]
    public void Buffers_of_any_size_hash_as_one_stream()
    {
        var memory = new FakeMemory().Map(0x100000, 3 << 20, 4);
        Assert.Equal(Hash(memory.Bytes(0x100000, (3 << 20) - 1)), SentBytes.Digest(memory, Nr.pwrite64, [3, 0x100000, 3 << 20, 0, 0, 0], (3 << 20) - 1));
    }

    [Fact]
    public void Sendmmsg_hashes_each_sent_message_up_to_its_length()
    {
        var headers = new byte[3 * 64];
        // struct mmsghdr: msg_iov at 16, msg_iovlen at 24, msg_len at 56; the third message was not sent.
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(16), 0x9000);
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(24), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(headers.AsSpan(56), 15);
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(64 + 16), 0x9020);
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(64 + 24), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(headers.AsSpan(64 + 56), 7);
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(128 + 16), 0x9030);
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(128 + 24), 1);
        var memory = new FakeMemory().Map(0x1000, 10, 5).Map(0x2000, 10, 6).Map(0x3000, 10, 7).Map(0x4000, 10, 8)
            .Map(0x8000, headers).Map(0x9000, IoVecs((0x1000, 10), (0x2000, 10), (0x3000, 10), (0x4000, 10)));

        Assert.Equal(Hash(memory.Bytes(0x1000, 10), memory.Bytes(0x2000, 5), memory.Bytes(0x3000, 7)),
            SentBytes.Digest(memory, Nr.sendmmsg, [6, 0x8000, 3, 0, 0, 0], 2));
    }

    [Fact]
    public void Calls_that_failed_or_send_nothing_from_memory_have_no_digest()
    {
        var memory = new FakeMemory().Map(0x1000, 100, 1);
        Assert.Null(SentBytes.Digest(memory, Nr.write, [4, 0x1000, 100, 0, 0, 0], -11));
        Assert.Null(SentBytes.Digest(memory, Nr.read, [4, 0x1000, 100, 0, 0, 0], 100));
        Assert.Null(SentBytes.Digest(memory, Nr.sendfile, [4, 5, 0, 100, 0, 0], 100));
        // mq_timedsend sends the whole message or nothing; its result is 0.
        Assert.Equal(Hash(memory.Bytes(0x1000, 40)), SentBytes.Digest(memory, Nr.mq_timedsend, [3, 0x1000, 40, 0, 0, 0], 0));
    }
}
