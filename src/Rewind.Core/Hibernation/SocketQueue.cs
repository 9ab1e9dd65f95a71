using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Rewind.Linux;

namespace Rewind.Hibernation;

/// <summary>
/// The messages waiting to be read at a UNIX socket: read through a copy of the process's
/// descriptor without taking them (MSG_PEEK, stepping with SO_PEEK_OFF as CRIU's sk-queue.c
/// does), and sent again from the peer of the socket made anew, one send per message so that a
/// datagram or seqpacket socket keeps its message boundaries.
/// </summary>
internal static class SocketQueue
{
    /// <summary>Larger than any message a UNIX socket takes by default (its sender's SO_SNDBUF, about 200 KiB).</summary>
    private const int MaxMessage = 4 << 20;

    /// <summary>
    /// The messages queued at <paramref name="socket"/> (a stream's as one), or why they cannot be
    /// saved: descriptors passed through it (SCM_RIGHTS) or credentials (SO_PASSCRED).
    /// </summary>
    /// <param name="endOfFile">whether the socket is shut down for reading: a datagram or seqpacket socket then reads 0 bytes, not EAGAIN, once its queue is empty (unix_dgram_recvmsg), and a zero-length message queued last is not told from that.</param>
    public static unsafe (IReadOnlyList<byte[]> Messages, string? Problem) Peek(SafeFileHandle socket, SocketType type, bool endOfFile)
    {
        // SO_PEEK_OFF belongs to the socket, which the process shares: put back as it was (-1, off).
        int old = Interop.GetSocketOption(socket, Interop.SO_PEEK_OFF);
        Interop.Check(Interop.SetSocketOption(socket, Interop.SO_PEEK_OFF, 0), "setsockopt(SO_PEEK_OFF)");
        var messages = new List<byte[]>();
        string? problem = null;
        byte[] data = ArrayPool<byte>.Shared.Rent(MaxMessage);
        byte* control = stackalloc byte[256];
        try
        {
            fixed (byte* p = data)
            {
                while (true)
                {
                    var iov = new Interop.IoVec { iov_base = (nint)p, iov_len = data.Length };
                    var header = new Interop.MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = 256 };
                    // With SO_PEEK_OFF set, each peek starts where the last one ended (socket(7)).
                    long n = Interop.recvmsg(socket, &header, Interop.MSG_PEEK | Interop.MSG_DONTWAIT | Interop.MSG_CMSG_CLOEXEC);
                    if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EAGAIN || n == 0 && (type == SocketType.Stream || endOfFile))
                    {
                        break;
                    }
                    Interop.Check(n, "recvmsg(MSG_PEEK)");
                    if (header.ControlLength > 0 || (header.Flags & Interop.MSG_CTRUNC) != 0)
                    {
                        problem = ControlProblem(control, (int)header.ControlLength);
                        break;
                    }
                    if ((header.Flags & Interop.MSG_TRUNC) != 0)
                    {
                        problem = $"a message of more than {MaxMessage >> 20} MiB queued in it";
                        break;
                    }
                    messages.Add(data[..(int)n]);
                }
            }
        }
        finally
        {
            Interop.SetSocketOption(socket, Interop.SO_PEEK_OFF, old);
            ArrayPool<byte>.Shared.Return(data);
        }
        return (type == SocketType.Stream && messages.Count > 1 ? [[.. messages.SelectMany(m => m)]] : messages, problem);
    }

    /// <summary>
    /// A peeked message's ancillary data (struct cmsghdr: length, level, type, data): descriptors
    /// it carried were installed in rewind by the peek, and are closed again.
    /// </summary>
    private static unsafe string ControlProblem(byte* control, int length)
    {
        string problem = "credentials queued in it with its messages (SO_PASSCRED), which cannot be saved";
        for (int at = 0; at + 16 <= length;)
        {
            long size = *(long*)(control + at);
            if (*(int*)(control + at + 8) == Interop.SOL_SOCKET && *(int*)(control + at + 12) == Interop.SCM_RIGHTS)
            {
                for (long fd = 16; fd + 4 <= size; fd += 4)
                {
                    Interop.close(*(int*)(control + at + fd));
                }
                problem = "descriptors queued in it (SCM_RIGHTS), which cannot be saved";
            }
            at += (int)((size + 7) & ~7);
            if (size < 16)
            {
                break;
            }
        }
        return problem;
    }

    /// <summary>Sends <paramref name="messages"/> from <paramref name="sender"/>, whose peer then holds them unread; never blocks.</summary>
    public static unsafe void Send(SafeFileHandle sender, IReadOnlyList<byte[]> messages, string what)
    {
        foreach (byte[] message in messages)
        {
            fixed (byte* p = message)
            {
                // A stream may take a message in parts; a datagram or seqpacket one whole or not at all.
                long done = 0;
                do
                {
                    long n = Interop.send(sender, p + done, (nint)(message.Length - done), Interop.MSG_DONTWAIT | Interop.MSG_NOSIGNAL);
                    done += n >= 0 ? n : throw new RewindException($"{what}: its {messages.Sum(m => m.Length)} queued bytes do not fit again ({Interop.Error("send").Message})");
                }
                while (done < message.Length);
            }
        }
    }
}
