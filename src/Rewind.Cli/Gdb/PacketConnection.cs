using System.Text;

namespace Rewind.Cli.Gdb;

/// <summary>
/// The remote serial protocol's framing over a byte stream: <c>$payload#checksum</c>, '+'/'-'
/// acknowledgements until QStartNoAckMode, '}' escapes, and the lone 0x03 byte gdb sends for
/// Ctrl-C. Payloads are Latin-1 strings: one char per byte, so binary data survives. One thread
/// reads while another may send: writes are serialized.
/// </summary>
internal sealed class PacketConnection(Stream input, Stream output)
{
    /// <summary>The interrupt request (Ctrl-C in gdb), returned by <see cref="Read"/> as a packet of its own.</summary>
    public const string Interrupt = "\u0003";

    /// <summary>The largest packet accepted; gdb is told a smaller size, so only a broken client exceeds it.</summary>
    public const int MaxIncoming = 1 << 20;

    private readonly Lock _writing = new();
    private readonly byte[] _buffer = new byte[65536];
    private int _at, _end;
    private byte[] _lastSent = [];

    /// <summary>After QStartNoAckMode: reliable transport, no '+' either way.</summary>
    public bool NoAck { get; set; }

    /// <summary>The next packet's payload, unescaped; null when the client has gone.</summary>
    public string? Read()
    {
        while (true)
        {
            int b = ReadByte();
            switch (b)
            {
                case -1:
                    return null;
                case 0x03:
                    return Interrupt;
                case '-':
                    // The client saw a bad checksum: send the last packet again.
                    if (!NoAck)
                    {
                        lock (_writing)
                        {
                            WriteRaw(_lastSent);
                        }
                    }
                    continue;
                case '$':
                    var payload = ReadPayload(out bool intact);
                    if (payload == null)
                    {
                        return null;
                    }
                    if (!NoAck)
                    {
                        lock (_writing)
                        {
                            WriteRaw(intact ? "+"u8 : "-"u8);
                        }
                    }
                    if (intact)
                    {
                        return payload;
                    }
                    continue;
                default:
                    // '+' and noise between packets.
                    continue;
            }
        }
    }

    /// <summary>Reads up to '#' and the checksum; an oversized payload is drained and reported as damaged.</summary>
    private string? ReadPayload(out bool intact)
    {
        var text = new StringBuilder();
        byte sum = 0;
        bool escaped = false, tooLong = false;
        while (true)
        {
            int b = ReadByte();
            if (b == -1)
            {
                intact = false;
                return null;
            }
            if (b == '#' && !escaped)
            {
                break;
            }
            sum += (byte)b;
            if (text.Length >= MaxIncoming)
            {
                tooLong = true;
                continue;
            }
            if (escaped)
            {
                text.Append((char)(b ^ 0x20));
                escaped = false;
            }
            else if (b == '}')
            {
                escaped = true;
            }
            else
            {
                text.Append((char)b);
            }
        }
        int hi = ReadByte(), lo = ReadByte();
        if (lo == -1)
        {
            intact = false;
            return null;
        }
        // In no-ack mode gdb still sends a checksum, but the transport is trusted.
        intact = !tooLong && (NoAck || HexValue(hi) * 16 + HexValue(lo) == sum);
        return text.ToString();
    }

    /// <summary>One byte from the client, read in chunks (a pipe or socket read per byte would be slow); -1 at its end.</summary>
    private int ReadByte()
    {
        if (_at == _end)
        {
            _end = input.Read(_buffer);
            _at = 0;
            if (_end <= 0)
            {
                _end = 0;
                return -1;
            }
        }
        return _buffer[_at++];
    }

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1000,
    };

    /// <summary>Sends one packet. '$', '#', '}' and '*' are escaped in every reply: gdb unescapes all of them and would read '*' as run-length encoding.</summary>
    public void Send(string payload)
    {
        var bytes = new List<byte>(payload.Length + 8) { (byte)'$' };
        byte sum = 0;
        foreach (char c in payload)
        {
            byte b = (byte)c;
            if (b is (byte)'$' or (byte)'#' or (byte)'}' or (byte)'*')
            {
                bytes.Add((byte)'}');
                sum += (byte)'}';
                b ^= 0x20;
            }
            bytes.Add(b);
            sum += b;
        }
        bytes.Add((byte)'#');
        bytes.AddRange(Encoding.ASCII.GetBytes(sum.ToString("x2")));
        lock (_writing)
        {
            _lastSent = [.. bytes];
            WriteRaw(_lastSent);
        }
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        output.Flush();
    }

    /// <summary>A Latin-1 string of raw bytes, for binary replies.</summary>
    public static string Binary(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
