using System.Buffers;
using System.IO.Hashing;

namespace Rewind.Syscalls;

/// <summary>
/// The bytes a syscall hands the kernel from the program's memory (write, send, their vector and
/// positioned forms, mq_timedsend): only those the kernel took, as many as the result says, in the
/// order it took them. Replay emulates these calls, so their bytes go nowhere; comparing them with
/// the recorded ones is what tells a replay that computed something else (a wrong interleaving of
/// threads) from a good one.
/// </summary>
public static class SentBytes
{
    // struct msghdr: msg_iov at 16, msg_iovlen at 24; struct mmsghdr: a msghdr, then msg_len at 56, 64 bytes in all.
    private const int MessageVector = 16, MessageVectorLength = 24, MessageLength = 56, MultiMessageSize = 64;

    // Read in pieces of at most this much: a 1 GiB write is not copied whole.
    private const int ReadSize = 1 << 20;

    /// <summary>
    /// The XxHash64 of what the syscall sent, read from <paramref name="memory"/> after the call;
    /// null for a syscall that sends nothing from memory, or that failed.
    /// </summary>
    public static ulong? Digest(IMemoryReader memory, int number, ulong[] args, long result)
    {
        if (!Sends(number) || result < 0)
        {
            return null;
        }
        var hash = new XxHash64();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            foreach (var (address, length) in Pieces(memory, number, args, result))
            {
                for (long done = 0; done < length;)
                {
                    int n = memory.Read(new RemotePtr(address + (ulong)done), buffer.AsSpan(0, (int)Math.Min(length - done, ReadSize)));
                    hash.Append(buffer.AsSpan(0, n));
                    // Unreadable memory: the rest of the piece is not hashed, in record and replay alike.
                    done = n > 0 ? done + n : length;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>What the syscall sent, read from <paramref name="memory"/>, as far as it can be read; null for a syscall that sends nothing from memory, or that failed.</summary>
    public static byte[]? Bytes(IMemoryReader memory, int number, ulong[] args, long result)
    {
        if (!Sends(number) || result < 0)
        {
            return null;
        }
        var pieces = Pieces(memory, number, args, result).ToList();
        var data = new byte[pieces.Sum(p => p.Length)];
        int at = 0;
        foreach (var (address, length) in pieces)
        {
            int n = memory.Read(new RemotePtr(address), data.AsSpan(at, (int)length));
            at += n;
            if (n < length)
            {
                break;
            }
        }
        return at == data.Length ? data : data[..at];
    }

    private static bool Sends(int number) => number is Nr.write or Nr.pwrite64 or Nr.sendto or Nr.writev or Nr.pwritev or Nr.pwritev2
        or Nr.sendmsg or Nr.sendmmsg or Nr.mq_timedsend;

    /// <summary>Where the sent bytes lie, in order.</summary>
    private static IEnumerable<(ulong Address, long Length)> Pieces(IMemoryReader memory, int number, ulong[] args, long result)
    {
        switch (number)
        {
            case Nr.write or Nr.pwrite64 or Nr.sendto:
                return [(args[1], result)];
            case Nr.writev or Nr.pwritev or Nr.pwritev2:
                return IoVectors.Take(memory, args[1], args[2], result);
            case Nr.sendmsg:
                return Message(memory, args[1], result);
            case Nr.sendmmsg:
                // The result is how many messages went; the kernel stored each one's byte count in its msg_len.
                return Enumerable.Range(0, (int)Math.Min(result, IoVectors.Max)).SelectMany(i =>
                {
                    ulong header = args[1] + (ulong)i * MultiMessageSize;
                    return Message(memory, header, (uint)IoVectors.Word(memory, header + MessageLength));
                });
            default:
                // mq_timedsend: the whole message, or nothing (result 0 or -errno).
                return result == 0 ? [(args[1], (long)args[2])] : [];
        }
    }

    private static IEnumerable<(ulong Address, long Length)> Message(IMemoryReader memory, ulong header, long bytes) =>
        IoVectors.Take(memory, IoVectors.Word(memory, header + MessageVector), IoVectors.Word(memory, header + MessageVectorLength), bytes);
}
