using System.Text;

namespace Rewind.Dap.Framing;

/// <summary>
/// Writes framed messages. Responses come from the request loop and events from the engine's
/// thread, so one lock keeps each header and body together on the wire.
/// </summary>
public sealed class MessageWriter
{
    private readonly Stream _output;
    private readonly Lock _lock = new();

    public MessageWriter(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    public void Write(ReadOnlySpan<byte> body)
    {
        Span<byte> header = stackalloc byte[64];
        var headerLength = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n", header);
        lock (_lock)
        {
            _output.Write(header[..headerLength]);
            _output.Write(body);
            _output.Flush();
        }
    }
}
