using System.Text.Json;
using Rewind.Dap.Framing;
using Rewind.Dap.Handlers;
using Rewind.Dap.Protocol;
using Rewind.Dap.Session;

namespace Rewind.Dap;

/// <summary>
/// <c>rewind dap</c>: reads requests from the client, dispatches each to its handler, writes
/// the responses. Runs until <c>disconnect</c> or the end of the input. Nothing a client
/// sends ends it: a bad frame is logged, a bad request gets an error response.
/// </summary>
public sealed class DapServer
{
    private readonly MessageReader _reader;
    private readonly DapContext _context;
    private readonly HandlerRegistry _handlers;
    private readonly TextWriter _log;

    public DapServer(Stream input, Stream output, TextWriter log, IDebugSessionFactory? sessionFactory = null, HandlerRegistry? handlers = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        _log = TextWriter.Synchronized(log);
        _reader = new MessageReader(input);
        _context = new DapContext(new DapConnection(output, _log), _log, sessionFactory);
        _handlers = handlers ?? HandlerRegistry.CreateDefault();
    }

    /// <summary>
    /// The entry point for the CLI's <c>dap</c> verb: serves one client on the given streams
    /// (stdin/stdout; logs go to <paramref name="log"/>, never to the protocol stream).
    /// Returns the process exit code.
    /// </summary>
    public static int Run(Stream input, Stream output, TextWriter log, IDebugSessionFactory? sessionFactory = null)
    {
        new DapServer(input, output, log, sessionFactory).Run();
        return 0;
    }

    public void Run()
    {
        try
        {
            while (!_context.ShutdownRequested)
            {
                Frame? frame;
                try
                {
                    frame = _reader.Read();
                }
                catch (IOException e)
                {
                    _log.WriteLine($"rewind dap: input failed: {e.Message}");
                    break;
                }

                if (frame is not { } f)
                    break;
                if (f.IsMessage)
                    Dispatch(f.Body!);
                else
                    _log.WriteLine($"rewind dap: dropped a message: {f.Error}");
            }
        }
        finally
        {
            var session = _context.Session;
            _context.Session = null;
            session?.Dispose();
        }
    }

    private void Dispatch(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            _log.WriteLine($"rewind dap: dropped a message that is not JSON: {e.Message}");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                _log.WriteLine($"rewind dap: dropped a message that is not a JSON object ({root.ValueKind})");
                return;
            }

            var seq = root.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) ? n : (int?)null;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var command = root.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;

            if (type is not null && type != MessageTypes.Request)
            {
                // Responses to reverse requests and client events: Rewind sends no reverse requests.
                _log.WriteLine($"rewind dap: ignored a message of type '{type}'");
                return;
            }

            if (seq is null)
            {
                _log.WriteLine("rewind dap: dropped a request without a valid 'seq'");
                return;
            }

            if (type is null || string.IsNullOrEmpty(command))
            {
                _context.Connection.SendError(seq.Value, command ?? "", type is null
                    ? "invalid request: missing 'type'"
                    : "invalid request: missing 'command'");
                return;
            }

            JsonElement? arguments = root.TryGetProperty("arguments", out var a) ? a.Clone() : null;
            Handle(new Request(seq.Value, command, arguments));
        }
    }

    private void Handle(Request request)
    {
        if (!_handlers.TryGet(request.Command, out var handler))
        {
            _context.Connection.SendError(request.Seq, request.Command, HandlerRegistry.Unsupported(request.Command));
            return;
        }

        JsonElement? body;
        try
        {
            body = handler.Handle(request.Arguments, _context);
        }
        catch (RewindException e)
        {
            _context.TakeAfterResponse();
            _context.Connection.SendError(request.Seq, request.Command, e.Message);
            return;
        }
        catch (Exception e)
        {
            // A bug of ours: the user sees one line, the log keeps the stack.
            _context.TakeAfterResponse();
            _log.WriteLine($"rewind dap: '{request.Command}' failed: {e}");
            _context.Connection.SendError(request.Seq, request.Command, $"internal error in '{request.Command}': {e.Message}");
            return;
        }

        _context.Connection.SendResponse(request.Seq, request.Command, body);
        foreach (var action in _context.TakeAfterResponse())
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                _log.WriteLine($"rewind dap: after '{request.Command}': {e}");
            }
        }
    }
}
