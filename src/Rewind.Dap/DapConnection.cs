using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Framing;
using Rewind.Dap.Protocol;

namespace Rewind.Dap;

/// <summary>
/// The adapter's side of the wire: numbers outgoing messages, serializes them with the
/// source-generated context and writes them framed. Safe to call from any thread; a client
/// that went away is logged once and never throws into the engine.
/// </summary>
public sealed class DapConnection
{
    /// <summary>The id of every error message: the text says what went wrong, clients need no code.</summary>
    public const int AdapterErrorId = 1000;

    private readonly MessageWriter _writer;
    private readonly TextWriter _log;
    private readonly Lock _lock = new();
    private int _seq;
    private bool _broken;

    public DapConnection(Stream output, TextWriter log)
    {
        _writer = new MessageWriter(output);
        _log = log;
    }

    public void SendResponse(int requestSeq, string command, JsonElement? body = null) =>
        Send(seq => JsonSerializer.SerializeToUtf8Bytes(
            new Response(seq, requestSeq, Success: true, command, Body: body), DapJsonContext.Default.Response));

    /// <summary>An error response: the short text in <c>message</c>, and again as <c>body.error</c> for the client to show.</summary>
    public void SendError(int requestSeq, string command, string message)
    {
        var error = new ErrorResponseBody(new Message(AdapterErrorId, message, ShowUser: true));
        var body = JsonSerializer.SerializeToElement(error, DapJsonContext.Default.ErrorResponseBody);
        Send(seq => JsonSerializer.SerializeToUtf8Bytes(
            new Response(seq, requestSeq, Success: false, command, message, body), DapJsonContext.Default.Response));
    }

    public void SendEvent(string name) =>
        Send(seq => JsonSerializer.SerializeToUtf8Bytes(new Event(seq, name), DapJsonContext.Default.Event));

    public void SendEvent<TBody>(string name, TBody body, JsonTypeInfo<TBody> bodyType)
    {
        var element = JsonSerializer.SerializeToElement(body, bodyType);
        Send(seq => JsonSerializer.SerializeToUtf8Bytes(new Event(seq, name, element), DapJsonContext.Default.Event));
    }

    private void Send(Func<int, byte[]> serialize)
    {
        lock (_lock)
        {
            if (_broken)
                return;
            try
            {
                _writer.Write(serialize(++_seq));
            }
            catch (IOException e)
            {
                _broken = true;
                _log.WriteLine($"rewind dap: the client is gone, output stopped: {e.Message}");
            }
            catch (ObjectDisposedException e)
            {
                _broken = true;
                _log.WriteLine($"rewind dap: the client is gone, output stopped: {e.Message}");
            }
        }
    }
}
