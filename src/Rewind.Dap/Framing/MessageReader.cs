using System.Text;

namespace Rewind.Dap.Framing;

/// <summary>
/// Reads the DAP base protocol: a header block of "Name: value" lines ended by an empty line
/// ("\r\n" line ends; a bare "\n" is tolerated), whose Content-Length gives the size in bytes
/// of the UTF-8 JSON body that follows. A header block that is unusable (no or a bad
/// Content-Length, a line too long) or a body past the size cap is dropped with a reason and
/// reading goes on with the next block: a client's mistake never ends the session.
/// </summary>
public sealed class MessageReader
{
    /// <summary>Bodies above this are skipped without being buffered.</summary>
    public const int DefaultMaxBodyLength = 16 * 1024 * 1024;

    internal const int MaxHeaderLineLength = 8 * 1024;

    private const string ContentLength = "Content-Length";

    private readonly Stream _input;
    private readonly int _maxBodyLength;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public MessageReader(Stream input, int maxBodyLength = DefaultMaxBodyLength)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBodyLength);
        _input = input;
        _maxBodyLength = maxBodyLength;
    }

    /// <summary>The next message or dropped frame; null at the end of the input.</summary>
    public Frame? Read()
    {
        long? length = null;
        string? headerError = null;
        string? badLength = null;
        var sawHeaderLine = false;
        while (true)
        {
            var line = ReadHeaderLine(out var tooLong);
            if (line is null)
            {
                // End of input: between messages is the normal end; inside a header block it is not.
                return sawHeaderLine ? Frame.Dropped("input ended inside a message header") : null;
            }

            if (tooLong)
            {
                headerError ??= $"header line longer than {MaxHeaderLineLength} bytes";
                sawHeaderLine = true;
                continue;
            }

            if (line.Length == 0)
            {
                if (!sawHeaderLine)
                    continue; // Blank lines between messages carry nothing: skip them.
                break;
            }

            sawHeaderLine = true;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                headerError ??= $"malformed header line '{Truncate(line)}'";
                continue;
            }

            var name = line.AsSpan(0, colon).Trim();
            if (!name.Equals(ContentLength, StringComparison.OrdinalIgnoreCase))
                continue; // Content-Type and unknown headers are allowed and ignored.

            var value = line.AsSpan(colon + 1).Trim();
            if (long.TryParse(value, System.Globalization.NumberStyles.None, null, out var parsed))
                length = parsed;
            else
                badLength ??= $"bad Content-Length '{Truncate(value.ToString())}'";
        }

        if (length is null)
            return Frame.Dropped(badLength ?? (headerError is null
                ? "missing Content-Length header"
                : $"missing Content-Length header ({headerError})"));

        // A readable length lets us skip the body and stay in step with the client.
        if (length > _maxBodyLength)
        {
            var skipped = Skip(length.Value);
            return Frame.Dropped(skipped
                ? $"message of {length} bytes exceeds the limit of {_maxBodyLength} bytes"
                : "input ended inside an oversized message body");
        }

        var body = new byte[length.Value];
        if (!ReadExactly(body))
            return Frame.Dropped($"input ended inside a message body of {length} bytes");

        // Other header lines that were bad do not matter once the length is known.
        return Frame.Message(body);
    }

    /// <summary>Reads one header line without its line end; null at end of input before any byte.</summary>
    private string? ReadHeaderLine(out bool tooLong)
    {
        tooLong = false;
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !Fill())
                return line.Count == 0 && !tooLong ? null : Decode(line);

            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var take = newline >= 0 ? newline : span.Length;
            if (!tooLong)
            {
                if (line.Count + take > MaxHeaderLineLength)
                {
                    // Keep discarding up to the newline, but never buffer an endless line.
                    tooLong = true;
                    line.Clear();
                }
                else
                {
                    line.AddRange(span[..take]);
                }
            }

            _start += newline >= 0 ? newline + 1 : take;
            if (newline >= 0)
                return Decode(line);
        }
    }

    private static string Decode(List<byte> line)
    {
        var count = line.Count;
        if (count > 0 && line[count - 1] == (byte)'\r')
            count--;
        return Encoding.ASCII.GetString(line.ToArray(), 0, count);
    }

    private bool ReadExactly(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_start == _end && !Fill())
                return false;
            var n = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(destination);
            _start += n;
            destination = destination[n..];
        }

        return true;
    }

    private bool Skip(long count)
    {
        while (count > 0)
        {
            if (_start == _end && !Fill())
                return false;
            var n = (int)Math.Min(count, _end - _start);
            _start += n;
            count -= n;
        }

        return true;
    }

    private bool Fill()
    {
        _start = 0;
        _end = _input.Read(_buffer, 0, _buffer.Length);
        return _end > 0;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
