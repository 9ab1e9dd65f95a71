using System.Text.Json;

namespace Rewind.Dap.Tests;

/// <summary>Whole conversations against a scripted engine: what VS Code would send and see.</summary>
public class SessionConversationTests
{
    private const string Init = "{\"adapterID\":\"rewind\",\"linesStartAt1\":true,\"columnsStartAt1\":true,\"supportsInvalidatedEvent\":true}";

    private static Conversation Launched(string launch = "{\"trace\":\"app.rwd\",\"stopAt\":\"start\"}") =>
        new Conversation().Send("initialize", Init).Send("launch", launch).Send("configurationDone"); // seq 1..3

    private static string Name(JsonElement m) => m.GetProperty("type").GetString() == "event"
        ? "event " + m.GetProperty("event").GetString()
        : "response " + m.GetProperty("command").GetString();

    private static JsonElement Body(Conversation.Result r, int seq)
    {
        var response = r.ResponseTo(seq);
        Assert.True(response.GetProperty("success").GetBoolean(), response.ToString());
        return response.GetProperty("body");
    }

    [Fact]
    public void LaunchThenConfigurationDoneStopsAtEntryInTheSpecificationsOrder()
    {
        var factory = new FakeFactory();
        var result = Launched().Run(factory);

        Assert.Equal(
            ["response initialize", "response launch", "event initialized", "response configurationDone", "event stopped", "event rewind/position"],
            result.Messages.Select(Name));
        var stopped = result.Events.Single(e => e.GetProperty("event").GetString() == "stopped").GetProperty("body");
        Assert.Equal("entry", stopped.GetProperty("reason").GetString());
        Assert.Equal(100, stopped.GetProperty("threadId").GetInt32());
        var position = result.Events.Last().GetProperty("body");
        Assert.Equal(0, position.GetProperty("event").GetInt64());
        Assert.Equal(1000, position.GetProperty("totalEvents").GetInt64());
        Assert.Equal(["Start Beginning", "Dispose"], factory.Session!.Calls);
    }

    [Fact]
    public void LaunchWithAPidDebugsThatProcessOfTheTrace()
    {
        var factory = new FakeFactory();
        var result = Launched("{\"trace\":\"make.rwd\",\"pid\":4242}").Run(factory);
        Assert.True(result.ResponseTo(2).GetProperty("success").GetBoolean());
        Assert.Equal(4242, factory.Pid);
    }

    [Fact]
    public void APidWithoutATraceIsRefused()
    {
        var result = new Conversation().Send("initialize", Init).Send("launch", "{\"program\":\"./app\",\"pid\":4242}").Run(new FakeFactory());
        var response = result.ResponseTo(2);
        Assert.False(response.GetProperty("success").GetBoolean());
        Assert.Contains("'pid' names a process of a trace", response.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ACrashedTraceStartsAtTheSignalByDefault()
    {
        var result = Launched("{\"trace\":\"app.rwd\"}").Send("exceptionInfo", "{\"threadId\":100}").Run(new FakeFactory());
        var stopped = result.Events.Single(e => e.GetProperty("event").GetString() == "stopped").GetProperty("body");
        Assert.Equal("exception", stopped.GetProperty("reason").GetString());
        var info = Body(result, 4);
        Assert.Equal("SIGSEGV", info.GetProperty("exceptionId").GetString());
        Assert.Equal("always", info.GetProperty("breakMode").GetString());
        Assert.Equal("Segmentation fault (address 0x0)", info.GetProperty("description").GetString());
    }

    [Fact]
    public void ANetProgramThatDiedOfAnExceptionAnswersExceptionInfoWithItsTypeMessageAndStack()
    {
        var result = Launched("{\"trace\":\"app.rwd\"}").Send("exceptionInfo", "{\"threadId\":100}").Run(new FakeFactory { Dotnet = true });
        var info = Body(result, 4);
        Assert.Equal("System.InvalidOperationException", info.GetProperty("exceptionId").GetString());
        Assert.Equal("unhandled", info.GetProperty("breakMode").GetString());
        Assert.Equal("order total 21 is over the limit", info.GetProperty("description").GetString());
        var details = info.GetProperty("details");
        Assert.Equal("InvalidOperationException", details.GetProperty("typeName").GetString());
        Assert.Equal("System.InvalidOperationException", details.GetProperty("fullTypeName").GetString());
        Assert.Equal("$exception", details.GetProperty("evaluateName").GetString());
        Assert.Contains("Program.cs:line 33", details.GetProperty("stackTrace").GetString());
        Assert.Equal("System.ArgumentOutOfRangeException", details.GetProperty("innerException")[0].GetProperty("fullTypeName").GetString());
    }

    [Fact]
    public void ABreakpointThatBindsLaterIsAnnouncedBeforeTheStop()
    {
        var result = Launched().Send("continue", "{\"threadId\":100}").Run(new FakeFactory { Dotnet = true });
        var names = result.Messages.Select(Name).ToList();
        Assert.True(names.IndexOf("event breakpoint") >= 0 && names.IndexOf("event breakpoint") < names.LastIndexOf("event stopped"), string.Join(", ", names));
        var changed = result.Events.Single(e => e.GetProperty("event").GetString() == "breakpoint").GetProperty("body");
        Assert.Equal("changed", changed.GetProperty("reason").GetString());
        var breakpoint = changed.GetProperty("breakpoint");
        Assert.Equal(1, breakpoint.GetProperty("id").GetInt32());
        Assert.True(breakpoint.GetProperty("verified").GetBoolean());
        Assert.Equal(49, breakpoint.GetProperty("line").GetInt32());
        Assert.Equal("/src/Program.cs", breakpoint.GetProperty("source").GetProperty("path").GetString());
        Assert.Equal("0x7fff79271c21", breakpoint.GetProperty("instructionReference").GetString());
    }

    [Fact]
    public void RecordingAProgramPassesItsArgumentsAndShowsItsOutput()
    {
        var factory = new FakeFactory();
        var result = new Conversation().Send("initialize", Init)
            .Send("launch", "{\"program\":\"./app\",\"args\":[\"-v\"],\"cwd\":\"/w\",\"env\":{\"A\":\"1\"}}").Run(factory);
        Assert.Equal("./app", factory.Recorded!.Program);
        Assert.Equal(["-v"], factory.Recorded.Arguments);
        Assert.Equal("/w", factory.Recorded.WorkingDirectory);
        Assert.Equal("1", factory.Recorded.Environment["A"]);
        Assert.Contains(result.Events, e => e.GetProperty("event").GetString() == "output" && e.GetProperty("body").GetProperty("output").GetString() == "recording…\n");
    }

    [Theory]
    [InlineData("{}", "give 'trace' (a trace file to replay) or 'program' (to record first)")]
    [InlineData("{\"trace\":\"a.rwd\",\"program\":\"./a\"}", "give either 'trace' (to replay) or 'program' (to record first), not both")]
    [InlineData("{\"trace\":\"a.rwd\",\"stopAt\":\"middle\"}", "'stopAt' is \"start\" or \"end\", not \"middle\"")]
    [InlineData("{\"trace\":\"missing.rwd\"}", "missing.rwd: no such file")]
    public void BadLaunchesAnswerWhatIsWrong(string launch, string message)
    {
        var result = new Conversation().Send("initialize", Init).Send("launch", launch).Run(new FakeFactory());
        Assert.Equal(message, result.ResponseTo(2).GetProperty("message").GetString());
        Assert.DoesNotContain(result.Events, e => e.GetProperty("event").GetString() == "initialized");
    }

    [Fact]
    public void StackScopesAndVariablesExpand()
    {
        var result = Launched()
            .Send("threads")                                      // 4
            .Send("stackTrace", "{\"threadId\":100}")            // 5
            .Send("scopes", "{\"frameId\":1}")                   // 6
            .Send("variables", "{\"variablesReference\":1}")     // 7
            .Send("variables", "{\"variablesReference\":3}")     // 8
            .Send("evaluate", "{\"expression\":\"n*2\",\"frameId\":1,\"context\":\"hover\"}") // 9
            .Send("evaluate", "{\"expression\":\"bad\",\"frameId\":1}")                      // 10
            .Send("scopes", "{\"frameId\":77}")                  // 11
            .Run(new FakeFactory());

        Assert.Equal("app", Body(result, 4).GetProperty("threads")[0].GetProperty("name").GetString());
        var frames = Body(result, 5).GetProperty("stackFrames");
        Assert.Equal(3, frames.GetArrayLength());
        Assert.Equal("compute", frames[0].GetProperty("name").GetString());
        Assert.Equal(7, frames[0].GetProperty("line").GetInt32());
        Assert.Equal("/src/app.c", frames[0].GetProperty("source").GetProperty("path").GetString());
        Assert.Equal("0x401136", frames[0].GetProperty("instructionPointerReference").GetString());
        Assert.Equal("subtle", frames[2].GetProperty("presentationHint").GetString());
        Assert.False(frames[2].TryGetProperty("source", out _));

        var scopes = Body(result, 6).GetProperty("scopes");
        Assert.Equal("locals", scopes[0].GetProperty("presentationHint").GetString());
        Assert.True(scopes[1].GetProperty("expensive").GetBoolean());

        var locals = Body(result, 7).GetProperty("variables");
        Assert.Equal("p", locals[0].GetProperty("name").GetString());
        Assert.Equal("0x7ffe0010", locals[0].GetProperty("memoryReference").GetString());
        Assert.Equal(3, locals[0].GetProperty("variablesReference").GetInt32());
        Assert.Equal(0, locals[1].GetProperty("variablesReference").GetInt32());
        Assert.Equal(["x", "y"], Body(result, 8).GetProperty("variables").EnumerateArray().Select(v => v.GetProperty("name").GetString()));

        Assert.Equal("42", Body(result, 9).GetProperty("result").GetString());
        Assert.Equal("no symbol 'bad' in the current context", result.ResponseTo(10).GetProperty("message").GetString());
        Assert.Equal("unknown or stale frame id 77", result.ResponseTo(11).GetProperty("message").GetString());
    }

    [Fact]
    public void StepsAndContinuesGoBothWays()
    {
        var factory = new FakeFactory();
        Launched()
            .Send("next", "{\"threadId\":100}")
            .Send("stepIn", "{\"threadId\":100,\"granularity\":\"instruction\"}")
            .Send("stepOut", "{\"threadId\":100}")
            .Send("stepBack", "{\"threadId\":100}")
            .Send("rewind/reverseNext", "{\"threadId\":100}")
            .Send("rewind/reverseStepOut", "{\"threadId\":100,\"granularity\":\"line\"}")
            .Send("continue", "{\"threadId\":100}")
            .Send("reverseContinue", "{\"threadId\":100}")
            .Send("pause", "{\"threadId\":100}")
            .Run(factory);

        Assert.Equal(
        [
            "Start Beginning",
            "Step 100 Over Forward Line", "Step 100 Into Forward Instruction", "Step 100 Out Forward Line",
            "Step 100 Into Backward Line", "Step 100 Over Backward Line", "Step 100 Out Backward Line",
            "Resume Forward", "Resume Backward", "Pause", "Dispose",
        ], factory.Session!.Calls);
    }

    [Fact]
    public void StaleReferencesDieAtTheNextStop()
    {
        var result = Launched()
            .Send("stackTrace", "{\"threadId\":100}")            // 4: frame ids 1..3
            .Send("next", "{\"threadId\":100}")                  // 5: a stop
            .Send("scopes", "{\"frameId\":1}")                   // 6
            .Run(new FakeFactory());
        Assert.Equal("unknown or stale frame id 1", result.ResponseTo(6).GetProperty("message").GetString());
    }

    [Fact]
    public void GotoEventJumpsAndInvalidatesTheViews()
    {
        var factory = new FakeFactory();
        var result = Launched()
            .Send("rewind/gotoEvent", "{\"percent\":25}")   // 4
            .Send("rewind/gotoEvent", "{\"event\":5000}")   // 5
            .Send("rewind/gotoEvent", "{}")                 // 6
            .Send("rewind/timeline", "{\"maxMarkers\":10}") // 7
            .Run(factory);

        Assert.Contains("GoToEvent 250", factory.Session!.Calls);
        var afterJump = result.Messages.SkipWhile(m => Name(m) != "response rewind/gotoEvent").Take(4).Select(Name);
        Assert.Equal(["response rewind/gotoEvent", "event stopped", "event invalidated", "event rewind/position"], afterJump);
        Assert.Equal("event 5000 is outside the trace (0 to 1000)", result.ResponseTo(5).GetProperty("message").GetString());
        Assert.Equal("give exactly one of 'event' and 'percent'", result.ResponseTo(6).GetProperty("message").GetString());

        var timeline = Body(result, 7);
        Assert.Equal(1000, timeline.GetProperty("totalEvents").GetInt64());
        Assert.Equal(250, timeline.GetProperty("currentEvent").GetInt64());
        Assert.Equal(["start", "output", "signal"], timeline.GetProperty("markers").EnumerateArray().Select(m => m.GetProperty("kind").GetString()));
    }

    [Fact]
    public void GotoTargetsListTheMomentsALineRuns()
    {
        var factory = new FakeFactory();
        var result = Launched()
            .Send("gotoTargets", "{\"source\":{\"path\":\"/src/app.c\"},\"line\":7}") // 4
            .Send("goto", "{\"threadId\":100,\"targetId\":2}")                        // 5
            .Send("goto", "{\"threadId\":100,\"targetId\":9}")                        // 6
            .Run(factory);
        var targets = Body(result, 4).GetProperty("targets");
        Assert.Equal("hit 2 of 2 (event 600)", targets[1].GetProperty("label").GetString());
        Assert.Contains("GoTo 600", factory.Session!.Calls);
        Assert.Equal("unknown goto target 9: ask gotoTargets again", result.ResponseTo(6).GetProperty("message").GetString());
    }

    [Fact]
    public void BreakpointsOfEveryKindReachTheEngine()
    {
        var factory = new FakeFactory();
        var result = new Conversation().Send("initialize", Init).Send("launch", "{\"trace\":\"app.rwd\"}")
            .Send("setBreakpoints", "{\"source\":{\"path\":\"/src/app.c\"},\"breakpoints\":[{\"line\":7,\"condition\":\"n > 2\",\"hitCondition\":\">= 3\"},{\"line\":9,\"logMessage\":\"n={n}\"}]}") // 3
            .Send("setFunctionBreakpoints", "{\"breakpoints\":[{\"name\":\"main\"},{\"name\":\"nope\"}]}")                  // 4
            .Send("setInstructionBreakpoints", "{\"breakpoints\":[{\"instructionReference\":\"0x401000\",\"offset\":4}]}") // 5
            .Send("dataBreakpointInfo", "{\"name\":\"n\",\"frameId\":1}")                                                  // 6 (stale frame: no stop yet)
            .Send("dataBreakpointInfo", "{\"name\":\"g_count\"}")                                                          // 7
            .Send("setDataBreakpoints", "{\"breakpoints\":[{\"dataId\":\"g_count@/\",\"accessType\":\"readWrite\"}]}")    // 8
            .Send("setExceptionBreakpoints", "{\"filters\":[]}")                                                           // 9
            .Run(factory);

        Assert.Contains("SetLineBreakpoints /src/app.c 7:n > 2:>= 3:,9:::n={n}", factory.Session!.Calls);
        Assert.Equal(7, Body(result, 3).GetProperty("breakpoints")[0].GetProperty("line").GetInt32());
        var functions = Body(result, 4).GetProperty("breakpoints");
        Assert.True(functions[0].GetProperty("verified").GetBoolean());
        Assert.Equal("no function 'nope'", functions[1].GetProperty("message").GetString());
        Assert.Equal("0x401004", Body(result, 5).GetProperty("breakpoints")[0].GetProperty("instructionReference").GetString());
        Assert.False(result.ResponseTo(6).GetProperty("success").GetBoolean());
        var info = Body(result, 7);
        Assert.Equal("g_count@/", info.GetProperty("dataId").GetString());
        Assert.Equal(["write", "readWrite"], info.GetProperty("accessTypes").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("SetDataBreakpoints g_count@/:ReadWrite", factory.Session.Calls);
        Assert.Equal(0, Body(result, 9).GetProperty("breakpoints").GetArrayLength());
    }

    [Fact]
    public void MemoryAndDisassemblyAnswerInTheSpecificationsForm()
    {
        var result = Launched()
            .Send("readMemory", "{\"memoryReference\":\"0x1000\",\"offset\":16,\"count\":8}")           // 4
            .Send("disassemble", "{\"memoryReference\":\"0x401136\",\"instructionCount\":4}")           // 5
            .Send("readMemory", "{\"memoryReference\":\"here\",\"count\":8}")                           // 6
            .Send("readMemory", "{\"memoryReference\":\"0x1000\",\"count\":99999999}")                  // 7
            .Run(new FakeFactory());

        var memory = Body(result, 4);
        Assert.Equal("0x1010", memory.GetProperty("address").GetString());
        Assert.Equal(Convert.ToBase64String([1, 2, 3, 4]), memory.GetProperty("data").GetString());
        Assert.Equal(4, memory.GetProperty("unreadableBytes").GetInt32());

        var instructions = Body(result, 5).GetProperty("instructions");
        Assert.Equal(4, instructions.GetArrayLength());
        Assert.Equal("push rbp", instructions[0].GetProperty("instruction").GetString());
        Assert.Equal("55", instructions[0].GetProperty("instructionBytes").GetString());
        Assert.Equal(6, instructions[0].GetProperty("line").GetInt32());
        Assert.Equal("0x40113a", instructions[2].GetProperty("address").GetString());
        Assert.Equal("invalid", instructions[3].GetProperty("presentationHint").GetString());

        Assert.Equal("'here' is not a memory reference (expected an address like 0x401000)", result.ResponseTo(6).GetProperty("message").GetString());
        Assert.StartsWith("readMemory count 99999999 is outside", result.ResponseTo(7).GetProperty("message").GetString());
    }

    [Fact]
    public void ZeroBasedClientsGetZeroBasedLines()
    {
        var result = new Conversation().Send("initialize", "{\"adapterID\":\"rewind\",\"linesStartAt1\":false,\"columnsStartAt1\":false}")
            .Send("launch", "{\"trace\":\"app.rwd\"}").Send("configurationDone")
            .Send("stackTrace", "{\"threadId\":100}")
            .Run(new FakeFactory());
        var frame = Body(result, 4).GetProperty("stackFrames")[0];
        Assert.Equal(6, frame.GetProperty("line").GetInt32());
        Assert.Equal(4, frame.GetProperty("column").GetInt32());
    }
}
