using System.Text.Json;

namespace Rewind.Dap.Tests;

public class ServerTests
{
    private const string InitializeArgs = "{\"clientID\":\"vscode\",\"adapterID\":\"rewind\",\"linesStartAt1\":true,\"columnsStartAt1\":true,\"pathFormat\":\"path\",\"supportsInvalidatedEvent\":true}";

    private static void AssertError(JsonElement response, string command, string message)
    {
        Assert.False(response.GetProperty("success").GetBoolean());
        Assert.Equal(command, response.GetProperty("command").GetString());
        Assert.Equal(message, response.GetProperty("message").GetString());
        var error = response.GetProperty("body").GetProperty("error");
        Assert.Equal(message, error.GetProperty("format").GetString());
        Assert.True(error.GetProperty("showUser").GetBoolean());
    }

    [Fact]
    public void InitializeAnswersTheCapabilitiesOfATimeTravelDebugger()
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Send("disconnect").Run();

        var response = result.ResponseTo(1);
        Assert.True(response.GetProperty("success").GetBoolean());
        Assert.Equal("initialize", response.GetProperty("command").GetString());
        var caps = response.GetProperty("body");
        foreach (var yes in new[]
                 {
                     "supportsConfigurationDoneRequest", "supportsStepBack", "supportsConditionalBreakpoints",
                     "supportsHitConditionalBreakpoints", "supportsLogPoints", "supportsFunctionBreakpoints",
                     "supportsDataBreakpoints", "supportsInstructionBreakpoints", "supportsSteppingGranularity",
                     "supportsDisassembleRequest", "supportsReadMemoryRequest", "supportsExceptionInfoRequest",
                     "supportsGotoTargetsRequest", "supportsEvaluateForHovers",
                 })
        {
            Assert.True(caps.GetProperty(yes).GetBoolean(), yes);
        }

        foreach (var no in new[] { "supportsRestartFrame", "supportsSetVariable", "supportsWriteMemoryRequest" })
            Assert.False(caps.GetProperty(no).GetBoolean(), no);
    }

    [Fact]
    public void DisconnectAnswersAndEndsTheConversation()
    {
        var result = new Conversation()
            .Send("initialize", InitializeArgs)
            .Send("disconnect", "{\"restart\":false,\"terminateDebuggee\":true}")
            .Send("threads")
            .Run();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Messages.Count);
        var response = result.ResponseTo(2);
        Assert.True(response.GetProperty("success").GetBoolean());
        Assert.Equal("disconnect", response.GetProperty("command").GetString());
    }

    [Fact]
    public void OutgoingSequenceNumbersCountUpFromOne()
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Send("modules").Send("disconnect").Run();
        Assert.Equal([1, 2, 3], result.Messages.Select(m => m.GetProperty("seq").GetInt32()));
    }

    [Fact]
    public void EndOfInputEndsTheServerCleanly()
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Run();
        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Messages);
    }

    [Theory]
    [InlineData("setVariable", "not supported yet: setVariable")]
    [InlineData("restartFrame", "not supported yet: restartFrame")]
    [InlineData("modules", "not supported yet: modules")]
    [InlineData("fooBar", "unknown request: fooBar")]
    public void CommandsWithoutAHandlerAnswerAClearError(string command, string message)
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Send(command, "{}").Send("disconnect").Run();
        AssertError(result.ResponseTo(2), command, message);
        Assert.True(result.ResponseTo(3).GetProperty("success").GetBoolean());
    }

    [Theory]
    [InlineData("stackTrace", "{\"threadId\":1}")]
    [InlineData("stepBack", "{\"threadId\":1}")]
    [InlineData("rewind/timeline", "{}")]
    [InlineData("rewind/gotoEvent", "{\"event\":3}")]
    public void RequestsNeedingATraceSayHowToOpenOne(string command, string arguments)
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Send(command, arguments).Run();
        AssertError(result.ResponseTo(2), command, "no trace is open: start a 'rewind' launch configuration first");
    }

    [Fact]
    public void LaunchWithoutTheEngineSaysSo()
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Send("launch", "{\"trace\":\"app.rwd\"}").Run();
        AssertError(result.ResponseTo(2), "launch", "not supported yet: launch (this build of rewind has no replay engine)");
    }

    [Fact]
    public void ThreadsBeforeLaunchIsAnEmptyList()
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Send("threads").Run();
        Assert.Equal(0, result.ResponseTo(2).GetProperty("body").GetProperty("threads").GetArrayLength());
    }

    [Fact]
    public void SecondInitializeIsRefused()
    {
        var result = new Conversation().Send("initialize", InitializeArgs).Send("initialize", InitializeArgs).Run();
        AssertError(result.ResponseTo(2), "initialize", "initialize was already received: it may be sent only once");
    }

    [Theory]
    [InlineData("{}", "'adapterID'")]
    [InlineData("5", "InitializeRequestArguments")]
    [InlineData("{\"adapterID\":42}", "adapterID")]
    public void BadArgumentsAnswerAnErrorNamingTheProblem(string arguments, string mention)
    {
        var result = new Conversation().Send("initialize", arguments).Send("disconnect").Run();
        var response = result.ResponseTo(1);
        Assert.False(response.GetProperty("success").GetBoolean());
        var message = response.GetProperty("message").GetString()!;
        Assert.StartsWith("invalid arguments for 'initialize': ", message);
        Assert.Contains(mention, message);
        Assert.True(result.ResponseTo(2).GetProperty("success").GetBoolean());
    }

    [Fact]
    public void DisconnectWithoutArgumentsIsFine()
    {
        var result = new Conversation().SendRaw("{\"seq\":9,\"type\":\"request\",\"command\":\"disconnect\",\"arguments\":null}").Run();
        Assert.True(result.ResponseTo(9).GetProperty("success").GetBoolean());
    }

    [Fact]
    public void BadInputNeverStopsTheServer()
    {
        var result = new Conversation()
            .SendBytes("Content-Length: nope\r\n\r\n")                         // bad length
            .SendBytes("X-Thing: 1\r\n\r\n")                                  // no length
            .SendRaw("this is not json")                                     // not JSON
            .SendRaw("[1,2,3]")                                              // not an object
            .SendRaw("{\"type\":\"request\",\"command\":\"threads\"}")       // no seq
            .SendRaw("{\"seq\":\"x\",\"type\":\"request\",\"command\":\"threads\"}") // bad seq
            .SendRaw("{\"seq\":20,\"type\":\"request\"}")                    // no command
            .SendRaw("{\"seq\":21,\"command\":\"threads\"}")                 // no type
            .SendRaw("{\"seq\":22,\"type\":\"request\",\"command\":42}")     // command not a string
            .SendRaw("{\"seq\":23,\"type\":\"response\",\"request_seq\":1,\"success\":true,\"command\":\"runInTerminal\"}")
            .SendRaw("{\"seq\":24,\"type\":\"request\",\"command\":\"initialize\",\"arguments\":" + InitializeArgs + "}")
            .SendRaw("{\"seq\":25,\"type\":\"request\",\"command\":\"disconnect\"}")
            .Run();

        AssertError(result.ResponseTo(20), "", "invalid request: missing 'command'");
        AssertError(result.ResponseTo(21), "threads", "invalid request: missing 'type'");
        AssertError(result.ResponseTo(22), "", "invalid request: missing 'command'");
        Assert.True(result.ResponseTo(24).GetProperty("success").GetBoolean());
        Assert.True(result.ResponseTo(25).GetProperty("success").GetBoolean());
        Assert.Equal(5, result.Messages.Count);

        Assert.Contains("bad Content-Length 'nope'", result.Log);
        Assert.Contains("missing Content-Length header", result.Log);
        Assert.Contains("not JSON", result.Log);
        Assert.Contains("not a JSON object (Array)", result.Log);
        Assert.Contains("without a valid 'seq'", result.Log);
        Assert.Contains("ignored a message of type 'response'", result.Log);
    }

    [Fact]
    public void AHandlerThatThrowsAnswersAnInternalErrorAndTheServerGoesOn()
    {
        var handlers = new Handlers.HandlerRegistry([new ThrowingHandler(), new Handlers.DisconnectHandler()]);
        var input = new MemoryStream();
        var writer = new Framing.MessageWriter(input);
        writer.Write("{\"seq\":1,\"type\":\"request\",\"command\":\"boom\"}"u8);
        writer.Write("{\"seq\":2,\"type\":\"request\",\"command\":\"disconnect\"}"u8);
        input.Position = 0;
        var output = new MemoryStream();
        var log = new StringWriter();

        new DapServer(input, output, log, handlers: handlers).Run();

        output.Position = 0;
        var reader = new Framing.MessageReader(output);
        var first = JsonDocument.Parse(reader.Read()!.Value.Body!).RootElement;
        var second = JsonDocument.Parse(reader.Read()!.Value.Body!).RootElement;
        Assert.Equal("internal error in 'boom': kaboom", first.GetProperty("message").GetString());
        Assert.True(second.GetProperty("success").GetBoolean());
        Assert.Contains("InvalidOperationException", log.ToString());
    }

    private sealed class ThrowingHandler : Handlers.IRequestHandler
    {
        public string Command => "boom";

        public JsonElement? Handle(JsonElement? arguments, DapContext context) => throw new InvalidOperationException("kaboom");
    }

    [Fact]
    public void NothingButProtocolIsWrittenToTheOutput()
    {
        // Every byte of the output is framed messages: Conversation.Run asserts each frame parses.
        var result = new Conversation().SendRaw("garbage").Send("initialize", InitializeArgs).Send("disconnect").Run();
        Assert.Equal(2, result.Messages.Count);
    }
}
