using System.Text;
using System.Text.Json;
using Rewind.Dap.Framing;
using Rewind.Dap.Session;

namespace Rewind.Dap.Tests;

/// <summary>A scripted client: framed requests in, the server run to the end, what it wrote out.</summary>
internal sealed class Conversation
{
    private readonly MemoryStream _input = new();
    private int _seq;

    public Conversation Send(string command, string? arguments = null)
    {
        var seq = ++_seq;
        return SendRaw(arguments is null
            ? $"{{\"seq\":{seq},\"type\":\"request\",\"command\":\"{command}\"}}"
            : $"{{\"seq\":{seq},\"type\":\"request\",\"command\":\"{command}\",\"arguments\":{arguments}}}");
    }

    public Conversation SendRaw(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        new MessageWriter(_input).Write(body);
        return this;
    }

    public Conversation SendBytes(string wire)
    {
        _input.Write(Encoding.UTF8.GetBytes(wire));
        return this;
    }

    public Result Run(IDebugSessionFactory? factory = null)
    {
        _input.Position = 0;
        var output = new MemoryStream();
        var log = new StringWriter();
        var exitCode = DapServer.Run(_input, output, log, factory);

        output.Position = 0;
        var reader = new MessageReader(output);
        var messages = new List<JsonElement>();
        while (reader.Read() is { } frame)
        {
            Assert.True(frame.IsMessage, $"the server wrote a bad frame: {frame.Error}");
            messages.Add(JsonDocument.Parse(frame.Body!).RootElement.Clone());
        }

        return new Result(exitCode, messages, log.ToString());
    }

    public sealed record Result(int ExitCode, IReadOnlyList<JsonElement> Messages, string Log)
    {
        public IEnumerable<JsonElement> Responses => Messages.Where(m => m.GetProperty("type").GetString() == "response");

        public IEnumerable<JsonElement> Events => Messages.Where(m => m.GetProperty("type").GetString() == "event");

        public JsonElement ResponseTo(int requestSeq) =>
            Responses.Single(r => r.GetProperty("request_seq").GetInt32() == requestSeq);
    }
}
