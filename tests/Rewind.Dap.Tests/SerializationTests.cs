using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;
using Ctx = Rewind.Dap.Protocol.DapJsonContext;
using DapThread = Rewind.Dap.Protocol.Thread;

namespace Rewind.Dap.Tests;

/// <summary>
/// Every message type against JSON written by hand from the specification's field names:
/// serializing the record gives that JSON, and reading that JSON back gives the record.
/// </summary>
public class SerializationTests
{
    private interface ICase
    {
        Type Type { get; }

        void Check();
    }

    private sealed record Case<T>(T Value, JsonTypeInfo<T> Info, string Json) : ICase
    {
        public Type Type => typeof(T);

        public void Check()
        {
            var expected = Normalize(Json);
            Assert.Equal(expected, JsonSerializer.Serialize(Value, Info));
            var back = JsonSerializer.Deserialize(expected, Info)!;
            Assert.Equal(expected, JsonSerializer.Serialize(back, Info));
        }
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json.Replace('\'', '"')).RootElement);

    private static JsonElement J(string json) => JsonDocument.Parse(json.Replace('\'', '"')).RootElement.Clone();

    private static readonly Source Src = new(Name: "app.c", Path: "src/app.c");
    private const string SrcJson = "{'name':'app.c','path':'src/app.c'}";

    private static readonly Dictionary<string, ICase> Cases = new ICase[]
    {
        // Base protocol
        new Case<ProtocolMessage>(new(1, "request"), Ctx.Default.ProtocolMessage, "{'seq':1,'type':'request'}"),
        new Case<Request>(new(3, "next", J("{'threadId':7}")), Ctx.Default.Request, "{'seq':3,'command':'next','arguments':{'threadId':7},'type':'request'}"),
        new Case<Response>(new(4, 3, true, "next"), Ctx.Default.Response, "{'seq':4,'request_seq':3,'success':true,'command':'next','type':'response'}"),
        new Case<Event>(new(5, "stopped", J("{'reason':'step'}")), Ctx.Default.Event, "{'seq':5,'event':'stopped','body':{'reason':'step'},'type':'event'}"),
        new Case<ErrorResponseBody>(new(new Message(1000, "no {what}", new Dictionary<string, string> { ["what"] = "trace" }, false, true, "https://x", "more")),
            Ctx.Default.ErrorResponseBody, "{'error':{'id':1000,'format':'no {what}','variables':{'what':'trace'},'sendTelemetry':false,'showUser':true,'url':'https://x','urlLabel':'more'}}"),
        new Case<Capabilities>(new() { SupportsStepBack = true, SupportsANSIStyling = false, SupportTerminateDebuggee = true, ExceptionBreakpointFilters = [new("signal", "Signals", Default: true)] },
            Ctx.Default.Capabilities, "{'exceptionBreakpointFilters':[{'filter':'signal','label':'Signals','default':true}],'supportsStepBack':true,'supportTerminateDebuggee':true,'supportsANSIStyling':false}"),
        // Session
        new Case<InitializeRequestArguments>(new("rewind", ClientID: "vscode", LinesStartAt1: true, PathFormat: "path", SupportsInvalidatedEvent: true, SupportsANSIStyling: true),
            Ctx.Default.InitializeRequestArguments, "{'adapterID':'rewind','clientID':'vscode','linesStartAt1':true,'pathFormat':'path','supportsInvalidatedEvent':true,'supportsANSIStyling':true}"),
        new Case<LaunchRequestArguments>(new(NoDebug: false, Restart: J("{'a':1}"), Trace: "app.rwd", Program: "./app", Args: ["-v"], Cwd: "/w", Env: new Dictionary<string, string> { ["K"] = "V" }, StopAt: "end"),
            Ctx.Default.LaunchRequestArguments, "{'noDebug':false,'__restart':{'a':1},'trace':'app.rwd','program':'./app','args':['-v'],'cwd':'/w','env':{'K':'V'},'stopAt':'end'}"),
        new Case<AttachRequestArguments>(new(J("1")), Ctx.Default.AttachRequestArguments, "{'__restart':1}"),
        new Case<ConfigurationDoneArguments>(new(), Ctx.Default.ConfigurationDoneArguments, "{}"),
        new Case<DisconnectArguments>(new(false, true, false), Ctx.Default.DisconnectArguments, "{'restart':false,'terminateDebuggee':true,'suspendDebuggee':false}"),
        new Case<TerminateArguments>(new(true), Ctx.Default.TerminateArguments, "{'restart':true}"),
        new Case<RestartArguments>(new(new LaunchRequestArguments(Trace: "t.rwd")), Ctx.Default.RestartArguments, "{'arguments':{'trace':'t.rwd'}}"),
        new Case<CancelArguments>(new(3, "p"), Ctx.Default.CancelArguments, "{'requestId':3,'progressId':'p'}"),
        // Breakpoints
        new Case<SetBreakpointsArguments>(new(Src, [new(10, 2, "x > 1", ">= 3", "x is {x}", "m")], [10], false),
            Ctx.Default.SetBreakpointsArguments, $"{{'source':{SrcJson},'breakpoints':[{{'line':10,'column':2,'condition':'x > 1','hitCondition':'>= 3','logMessage':'x is {{x}}','mode':'m'}}],'lines':[10],'sourceModified':false}}"),
        new Case<SetBreakpointsResponseBody>(new([new(true, 1, "ok", Src, 10, 2, 10, 9, "0x401000", 4, "pending")]),
            Ctx.Default.SetBreakpointsResponseBody, $"{{'breakpoints':[{{'verified':true,'id':1,'message':'ok','source':{SrcJson},'line':10,'column':2,'endLine':10,'endColumn':9,'instructionReference':'0x401000','offset':4,'reason':'pending'}}]}}"),
        new Case<SetFunctionBreakpointsArguments>(new([new("main", "argc > 1", "2")]), Ctx.Default.SetFunctionBreakpointsArguments, "{'breakpoints':[{'name':'main','condition':'argc > 1','hitCondition':'2'}]}"),
        new Case<SetExceptionBreakpointsArguments>(new(["signal"], [new("signal", "c", "m")], [new("always", [new(["SIGSEGV"], true)])]),
            Ctx.Default.SetExceptionBreakpointsArguments, "{'filters':['signal'],'filterOptions':[{'filterId':'signal','condition':'c','mode':'m'}],'exceptionOptions':[{'breakMode':'always','path':[{'names':['SIGSEGV'],'negate':true}]}]}"),
        new Case<SetExceptionBreakpointsResponseBody>(new([new(false)]), Ctx.Default.SetExceptionBreakpointsResponseBody, "{'breakpoints':[{'verified':false}]}"),
        new Case<DataBreakpointInfoArguments>(new("count", 5, 1, 4, false, "m"), Ctx.Default.DataBreakpointInfoArguments, "{'name':'count','variablesReference':5,'frameId':1,'bytes':4,'asAddress':false,'mode':'m'}"),
        new Case<DataBreakpointInfoResponseBody>(new(null, "not an lvalue", ["write"], false), Ctx.Default.DataBreakpointInfoResponseBody, "{'dataId':null,'description':'not an lvalue','accessTypes':['write'],'canPersist':false}"),
        new Case<SetDataBreakpointsArguments>(new([new("0x7ffe0010/4", "readWrite", "c", "h")]), Ctx.Default.SetDataBreakpointsArguments, "{'breakpoints':[{'dataId':'0x7ffe0010/4','accessType':'readWrite','condition':'c','hitCondition':'h'}]}"),
        new Case<SetInstructionBreakpointsArguments>(new([new("0x401000", -4, "c", "h", "m")]), Ctx.Default.SetInstructionBreakpointsArguments, "{'breakpoints':[{'instructionReference':'0x401000','offset':-4,'condition':'c','hitCondition':'h','mode':'m'}]}"),
        new Case<BreakpointLocationsArguments>(new(Src, 3, 1, 4, 2), Ctx.Default.BreakpointLocationsArguments, $"{{'source':{SrcJson},'line':3,'column':1,'endLine':4,'endColumn':2}}"),
        new Case<BreakpointLocationsResponseBody>(new([new(3, 1, 3, 8)]), Ctx.Default.BreakpointLocationsResponseBody, "{'breakpoints':[{'line':3,'column':1,'endLine':3,'endColumn':8}]}"),
        // Execution
        new Case<ContinueArguments>(new(7, true), Ctx.Default.ContinueArguments, "{'threadId':7,'singleThread':true}"),
        new Case<ContinueResponseBody>(new(true), Ctx.Default.ContinueResponseBody, "{'allThreadsContinued':true}"),
        new Case<StepArguments>(new(7, false, "instruction"), Ctx.Default.StepArguments, "{'threadId':7,'singleThread':false,'granularity':'instruction'}"),
        new Case<StepInArguments>(new(7, null, 3, "line"), Ctx.Default.StepInArguments, "{'threadId':7,'targetId':3,'granularity':'line'}"),
        new Case<ReverseContinueArguments>(new(7, false), Ctx.Default.ReverseContinueArguments, "{'threadId':7,'singleThread':false}"),
        new Case<PauseArguments>(new(7), Ctx.Default.PauseArguments, "{'threadId':7}"),
        new Case<GotoArguments>(new(7, 2), Ctx.Default.GotoArguments, "{'threadId':7,'targetId':2}"),
        new Case<GotoTargetsArguments>(new(Src, 12, 3), Ctx.Default.GotoTargetsArguments, $"{{'source':{SrcJson},'line':12,'column':3}}"),
        new Case<GotoTargetsResponseBody>(new([new(1, "hit 1 of 3 (event 40)", 12, 1, 12, 20, "0x401020")]),
            Ctx.Default.GotoTargetsResponseBody, "{'targets':[{'id':1,'label':'hit 1 of 3 (event 40)','line':12,'column':1,'endLine':12,'endColumn':20,'instructionPointerReference':'0x401020'}]}"),
        new Case<RestartFrameArguments>(new(4), Ctx.Default.RestartFrameArguments, "{'frameId':4}"),
        // State
        new Case<ThreadsResponseBody>(new([new DapThread(1234, "app")]), Ctx.Default.ThreadsResponseBody, "{'threads':[{'id':1234,'name':'app'}]}"),
        new Case<StackTraceArguments>(new(7, 0, 20, new(true, true, false, true, true, true, false, false)), Ctx.Default.StackTraceArguments,
            "{'threadId':7,'startFrame':0,'levels':20,'format':{'hex':true,'parameters':true,'parameterTypes':false,'parameterNames':true,'parameterValues':true,'line':true,'module':false,'includeAll':false}}"),
        new Case<StackTraceResponseBody>(new([new(1, "main", 12, 5, Src, 12, 9, false, "0x401020", "app", "normal")], 3), Ctx.Default.StackTraceResponseBody,
            $"{{'stackFrames':[{{'id':1,'name':'main','line':12,'column':5,'source':{SrcJson},'endLine':12,'endColumn':9,'canRestart':false,'instructionPointerReference':'0x401020','moduleId':'app','presentationHint':'normal'}}],'totalFrames':3}}"),
        new Case<ScopesArguments>(new(1), Ctx.Default.ScopesArguments, "{'frameId':1}"),
        new Case<ScopesResponseBody>(new([new("Locals", 5, false, "locals", 2, 0, Src, 1, 1, 20, 1)]), Ctx.Default.ScopesResponseBody,
            $"{{'scopes':[{{'name':'Locals','variablesReference':5,'expensive':false,'presentationHint':'locals','namedVariables':2,'indexedVariables':0,'source':{SrcJson},'line':1,'column':1,'endLine':20,'endColumn':1}}]}}"),
        new Case<VariablesArguments>(new(5, "named", 0, 10, new(true)), Ctx.Default.VariablesArguments, "{'variablesReference':5,'filter':'named','start':0,'count':10,'format':{'hex':true}}"),
        new Case<VariablesResponseBody>(new([new("p", "0x601010", 6, "struct point *", new("data", ["readOnly"], "public", false), "p", 2, 0, "0x601010", 1, 2)]), Ctx.Default.VariablesResponseBody,
            "{'variables':[{'name':'p','value':'0x601010','variablesReference':6,'type':'struct point *','presentationHint':{'kind':'data','attributes':['readOnly'],'visibility':'public','lazy':false},'evaluateName':'p','namedVariables':2,'indexedVariables':0,'memoryReference':'0x601010','declarationLocationReference':1,'valueLocationReference':2}]}"),
        new Case<SetVariableArguments>(new(5, "x", "3", new(false)), Ctx.Default.SetVariableArguments, "{'variablesReference':5,'name':'x','value':'3','format':{'hex':false}}"),
        new Case<EvaluateArguments>(new("p->x + 1", 1, 3, 4, Src, "hover", new(true)), Ctx.Default.EvaluateArguments, $"{{'expression':'p->x + 1','frameId':1,'line':3,'column':4,'source':{SrcJson},'context':'hover','format':{{'hex':true}}}}"),
        new Case<EvaluateResponseBody>(new("4", 0, "int", new(Kind: "data"), 0, 0, "0x601010", 3), Ctx.Default.EvaluateResponseBody,
            "{'result':'4','variablesReference':0,'type':'int','presentationHint':{'kind':'data'},'namedVariables':0,'indexedVariables':0,'memoryReference':'0x601010','valueLocationReference':3}"),
        new Case<SourceArguments>(new(9, Src), Ctx.Default.SourceArguments, $"{{'sourceReference':9,'source':{SrcJson}}}"),
        new Case<SourceResponseBody>(new("int main;", "text/x-c"), Ctx.Default.SourceResponseBody, "{'content':'int main;','mimeType':'text/x-c'}"),
        new Case<ExceptionInfoArguments>(new(7), Ctx.Default.ExceptionInfoArguments, "{'threadId':7}"),
        new Case<ExceptionInfoResponseBody>(new("SIGSEGV", "always", "Segmentation fault at 0x0", new("address not mapped", "SIGSEGV", "SIGSEGV/SEGV_MAPERR", "$_siginfo", "#0 main", [new(Message: "inner")])),
            Ctx.Default.ExceptionInfoResponseBody,
            "{'exceptionId':'SIGSEGV','breakMode':'always','description':'Segmentation fault at 0x0','details':{'message':'address not mapped','typeName':'SIGSEGV','fullTypeName':'SIGSEGV/SEGV_MAPERR','evaluateName':'$_siginfo','stackTrace':'#0 main','innerException':[{'message':'inner'}]}}"),
        // Memory
        new Case<ReadMemoryArguments>(new("0x601010", 16, -8), Ctx.Default.ReadMemoryArguments, "{'memoryReference':'0x601010','count':16,'offset':-8}"),
        new Case<ReadMemoryResponseBody>(new("0x601008", 8, "AAECAw=="), Ctx.Default.ReadMemoryResponseBody, "{'address':'0x601008','unreadableBytes':8,'data':'AAECAw=='}"),
        new Case<DisassembleArguments>(new("0x401000", 10, 0, -5, true), Ctx.Default.DisassembleArguments, "{'memoryReference':'0x401000','instructionCount':10,'offset':0,'instructionOffset':-5,'resolveSymbols':true}"),
        new Case<DisassembleResponseBody>(new([new("0x401000", "push rbp", "55", "main", Src, 3, 1, 3, 10, "normal")]), Ctx.Default.DisassembleResponseBody,
            $"{{'instructions':[{{'address':'0x401000','instruction':'push rbp','instructionBytes':'55','symbol':'main','location':{SrcJson},'line':3,'column':1,'endLine':3,'endColumn':10,'presentationHint':'normal'}}]}}"),
        // Events
        new Case<StoppedEventBody>(new("breakpoint", "Paused on breakpoint", 7, false, "t", true, [1, 2]), Ctx.Default.StoppedEventBody,
            "{'reason':'breakpoint','description':'Paused on breakpoint','threadId':7,'preserveFocusHint':false,'text':'t','allThreadsStopped':true,'hitBreakpointIds':[1,2]}"),
        new Case<ContinuedEventBody>(new(7, true), Ctx.Default.ContinuedEventBody, "{'threadId':7,'allThreadsContinued':true}"),
        new Case<ExitedEventBody>(new(139), Ctx.Default.ExitedEventBody, "{'exitCode':139}"),
        new Case<TerminatedEventBody>(new(J("true")), Ctx.Default.TerminatedEventBody, "{'restart':true}"),
        new Case<ThreadEventBody>(new("started", 7), Ctx.Default.ThreadEventBody, "{'reason':'started','threadId':7}"),
        new Case<OutputEventBody>(new("hello\n", "stdout", "start", 0, Src, 3, 1, J("{'k':1}"), 2), Ctx.Default.OutputEventBody,
            $"{{'output':'hello\\n','category':'stdout','group':'start','variablesReference':0,'source':{SrcJson},'line':3,'column':1,'data':{{'k':1}},'locationReference':2}}"),
        new Case<BreakpointEventBody>(new("changed", new(true, 1)), Ctx.Default.BreakpointEventBody, "{'reason':'changed','breakpoint':{'verified':true,'id':1}}"),
        new Case<ProcessEventBody>(new("app", 1234, false, "launch", 8), Ctx.Default.ProcessEventBody, "{'name':'app','systemProcessId':1234,'isLocalProcess':false,'startMethod':'launch','pointerSize':8}"),
        new Case<CapabilitiesEventBody>(new(new() { SupportsStepBack = true }), Ctx.Default.CapabilitiesEventBody, "{'capabilities':{'supportsStepBack':true}}"),
        new Case<InvalidatedEventBody>(new(["stacks", "variables"], 7, 1), Ctx.Default.InvalidatedEventBody, "{'areas':['stacks','variables'],'threadId':7,'stackFrameId':1}"),
        new Case<MemoryEventBody>(new("0x601010", 0, 4), Ctx.Default.MemoryEventBody, "{'memoryReference':'0x601010','offset':0,'count':4}"),
        // Rewind
        new Case<TimelineArguments>(new(500), Ctx.Default.TimelineArguments, "{'maxMarkers':500}"),
        new Case<TimelineResponseBody>(new(1000, 250, [new("signal", 999, "SIGSEGV", 7, "at 0x0")]), Ctx.Default.TimelineResponseBody,
            "{'totalEvents':1000,'currentEvent':250,'markers':[{'kind':'signal','event':999,'label':'SIGSEGV','threadId':7,'detail':'at 0x0'}]}"),
        new Case<GotoEventArguments>(new(40, 4.5, 7), Ctx.Default.GotoEventArguments, "{'event':40,'percent':4.5,'threadId':7}"),
        new Case<PositionEventBody>(new(250, 1000, 25, 7), Ctx.Default.PositionEventBody, "{'event':250,'totalEvents':1000,'percent':25,'threadId':7}"),
        new Case<JsonElement>(J("[1,'a']"), Ctx.Default.JsonElement, "[1,'a']"),
    }.ToDictionary(c => c.Type.Name);

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void RoundTripsWithTheSpecificationsFieldNames(string type) => Cases[type].Check();

    [Fact]
    public void EveryTypeOfTheContextHasACase()
    {
        var roots = typeof(DapJsonContext).GetCustomAttributes<JsonSerializableAttribute>()
            .Select(a => (Type)typeof(JsonSerializableAttribute).GetField("_type", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(a)!)
            .ToList();
        var missing = roots.Where(t => t is not null && !Cases.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        Assert.True(roots.Count > 60, $"found only {roots.Count} root types");
        Assert.Empty(missing);
    }

    [Fact]
    public void ClientsExtraFieldsAreIgnored()
    {
        var args = JsonSerializer.Deserialize("{\"threadId\":7,\"futureField\":{\"x\":[1]},\"granularity\":\"line\"}", Ctx.Default.StepArguments);
        Assert.Equal(new StepArguments(7, Granularity: "line"), args);

        var launch = JsonSerializer.Deserialize("{\"type\":\"rewind\",\"request\":\"launch\",\"name\":\"Replay\",\"trace\":\"app.rwd\",\"__configurationTarget\":5}", Ctx.Default.LaunchRequestArguments);
        Assert.Equal("app.rwd", launch!.Trace);
    }

    [Fact]
    public void MissingRequiredFieldIsAnError()
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"startFrame\":0}", Ctx.Default.StackTraceArguments));
        Assert.Contains("threadId", e.Message);
    }

    [Fact]
    public void NullForARequiredStringIsAnError() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"expression\":null}", Ctx.Default.EvaluateArguments));
}
