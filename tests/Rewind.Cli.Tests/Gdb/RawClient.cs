using System.Diagnostics;
using System.Text;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// A minimal remote-protocol client over a byte stream, to send what gdb never would: bad
/// checksums, malformed packets, a sudden disconnection. Every read has a deadline.
/// </summary>
internal sealed class RawClient(Stream toServer, Stream fromServer)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // After QStartNoAckMode nothing is acknowledged: an ack written after the server's last
    // reply (vKill) would meet a closed pipe.
    private bool _acks = true;

    public void SendRaw(string text)
    {
        toServer.Write(Encoding.Latin1.GetBytes(text));
        toServer.Flush();
    }

    public static string Frame(string payload)
    {
        byte sum = 0;
        foreach (char c in payload)
        {
            sum += (byte)c;
        }
        return $"${payload}#{sum:x2}";
    }

    /// <summary>Sends a packet and returns the reply's payload (acks and console 'O' packets skipped).</summary>
    public string Ask(string payload)
    {
        SendRaw(Frame(payload));
        while (true)
        {
            string reply = ReadPacket();
            if (!(reply.StartsWith('O') && reply.Length > 1 && reply.Length % 2 == 1 && reply != "OK"))
            {
                _acks &= !(payload == "QStartNoAckMode" && reply == "OK");
                return reply;
            }
        }
    }

    public int ReadByte()
    {
        var read = Task.Run(() => fromServer.ReadByte());
        return read.Wait(Deadline) ? read.Result : throw new TimeoutException("the server did not answer");
    }

    public string ReadPacket()
    {
        int b;
        while ((b = ReadByte()) != '$')
        {
            if (b == -1)
            {
                throw new EndOfStreamException("the server closed the connection");
            }
        }
        var text = new StringBuilder();
        while ((b = ReadByte()) != '#')
        {
            text.Append(b == '}' ? (char)(ReadByte() ^ 0x20) : (char)b);
        }
        ReadByte();
        ReadByte();
        if (_acks)
        {
            SendRaw("+");
        }
        return text.ToString();
    }

    /// <summary>Starts `rewind gdbserver TRACE` on pipes.</summary>
    public static Process StartServer(string trace, params string[] options)
    {
        var start = new ProcessStartInfo(GdbEnvironment.Rewind, ["gdbserver", .. options, trace])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("cannot start rewind gdbserver");
    }
}
