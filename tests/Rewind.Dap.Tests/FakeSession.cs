using Rewind.Dap.Session;

namespace Rewind.Dap.Tests;

/// <summary>
/// A scripted engine: a trace of 1000 events, one thread (tid 100) in main → compute, and a
/// crash at the end. Motions report their stop at once, on the caller's thread.
/// </summary>
internal sealed class FakeSession(IDebugEventSink events, bool dotnet = false) : IDebugSession
{
    public static readonly Tid Main = new(100);

    public List<string> Calls { get; } = [];

    public TimelinePosition Position { get; private set; } = new(0, 1000);

    private void Stop(StopReason reason, long eventIndex)
    {
        Position = Position with { Event = eventIndex };
        events.Stopped(new StopInfo(reason, Main, Position));
    }

    public void Start(StartAt at)
    {
        Calls.Add($"Start {at}");
        Stop(at == StartAt.Beginning ? StopReason.Entry : StopReason.Signal, at == StartAt.Beginning ? 0 : 1000);
    }

    public void Resume(Direction direction)
    {
        Calls.Add($"Resume {direction}");
        if (dotnet)
        {
            // As the engine does for a .NET line whose method the JIT compiled on the way.
            events.BreakpointChanged(new BreakpointStatus(new BreakpointId(1), true, Location: new SourceLocation("/src/Program.cs", 49), Address: new RemotePtr(0x7fff79271c21)));
        }
        Stop(StopReason.Breakpoint, direction == Direction.Forward ? 900 : 100);
    }

    public void Step(Tid thread, StepKind kind, Direction direction, StepGranularity granularity)
    {
        Calls.Add($"Step {thread} {kind} {direction} {granularity}");
        Stop(StopReason.Step, Position.Event + (direction == Direction.Forward ? 1 : -1));
    }

    public void Pause() => Calls.Add("Pause");

    public void GoToEvent(long eventIndex)
    {
        Calls.Add($"GoToEvent {eventIndex}");
        Stop(StopReason.Goto, eventIndex);
    }

    public void GoTo(JumpTargetId target)
    {
        Calls.Add($"GoTo {target.Value}");
        Stop(StopReason.Goto, target.Value);
    }

    public IReadOnlyList<TimelineEntry> GetTimeline(int maxEntries) =>
    [
        new(TimelineEntryKind.Start, 0, "exec ./app"),
        new(TimelineEntryKind.Output, 10, "hello", Main, "stdout"),
        new(TimelineEntryKind.Signal, 999, "SIGSEGV", Main),
    ];

    public IReadOnlyList<JumpTarget> GetJumpTargets(string sourcePath, int line) =>
    [
        new(new JumpTargetId(200), "hit 1 of 2 (event 200)", new SourceLocation(sourcePath, line), new TimelinePosition(200, 1000)),
        new(new JumpTargetId(600), "hit 2 of 2 (event 600)", new SourceLocation(sourcePath, line), new TimelinePosition(600, 1000)),
    ];

    public IReadOnlyList<ThreadInfo> GetThreads() => [new(Main, "app")];

    public StackInfo GetStack(Tid thread, int startFrame, int count) => new(
        new FrameInfo[]
        {
            new("compute", new RemotePtr(0x401136), new SourceLocation("/src/app.c", 7, 5)),
            new("main", new RemotePtr(0x401180), new SourceLocation("/src/app.c", 15)),
            new("__libc_start_call_main", new RemotePtr(0x7ffff7c29d90), Module: "libc.so.6"),
        }.Skip(startFrame).Take(count == 0 ? int.MaxValue : count).ToList(),
        3);

    public IReadOnlyList<ScopeInfo> GetScopes(FrameRef frame) =>
        [new("Locals", ScopeKind.Locals, new VariablesRef(10 + frame.Depth)), new("Registers", ScopeKind.Registers, new VariablesRef(99), Expensive: true)];

    public IReadOnlyList<ValueInfo> GetVariables(VariablesRef container, int start, int count) => container.Value switch
    {
        10 => [new("p", "0x601010", "struct point *", new VariablesRef(20), new RemotePtr(0x7ffe0010), "p"), new("n", "3", "int")],
        20 => [new("x", "1", "int"), new("y", "2", "int")],
        _ => [],
    };

    public ValueInfo Evaluate(string expression, FrameRef? frame, EvaluationContext context) =>
        expression == "bad" ? throw new RewindException("no symbol 'bad' in the current context") : new(expression, "42", "int");

    public SignalInfo? GetSignal(Tid thread) =>
        Position.Event == 1000 ? new("SIGSEGV", "Segmentation fault", new RemotePtr(0), "address not mapped") : null;

    public ThrownException? GetException(Tid thread) =>
        Position.Event == 1000 && thread == Main && dotnet
            ? new("System.InvalidOperationException", "order total 21 is over the limit", "   at Orders.Validate in /src/Program.cs:line 33\n",
                [new("System.ArgumentOutOfRangeException", "out of range", "", [], false)], true)
            : null;

    public int ReadMemory(RemotePtr address, Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, 4);
        for (var i = 0; i < n; i++)
            buffer[i] = (byte)(i + 1);
        return n;
    }

    public IReadOnlyList<DisassembledLine> Disassemble(RemotePtr address, int instructionOffset, int count) =>
        [new(address, [0x55], "push rbp", "compute", new SourceLocation("/src/app.c", 6)), new(address + 1, [0x48, 0x89, 0xe5], "mov rbp,rsp", "compute+1")];

    public IReadOnlyList<BreakpointStatus> SetLineBreakpoints(string sourcePath, IReadOnlyList<LineBreakpointSpec> breakpoints)
    {
        Calls.Add($"SetLineBreakpoints {sourcePath} {string.Join(",", breakpoints.Select(b => $"{b.Line}:{b.Condition}:{b.HitCondition}:{b.LogMessage}"))}");
        return breakpoints.Select((b, i) => new BreakpointStatus(new BreakpointId(i + 1), true, Location: new SourceLocation(sourcePath, b.Line))).ToList();
    }

    public IReadOnlyList<BreakpointStatus> SetFunctionBreakpoints(IReadOnlyList<FunctionBreakpointSpec> breakpoints) =>
        breakpoints.Select((b, i) => new BreakpointStatus(new BreakpointId(50 + i), b.Name == "main", b.Name == "main" ? null : $"no function '{b.Name}'")).ToList();

    public IReadOnlyList<BreakpointStatus> SetInstructionBreakpoints(IReadOnlyList<InstructionBreakpointSpec> breakpoints) =>
        breakpoints.Select((b, i) => new BreakpointStatus(new BreakpointId(70 + i), true, Address: b.Address)).ToList();

    public IReadOnlyList<BreakpointStatus> SetDataBreakpoints(IReadOnlyList<DataBreakpointSpec> breakpoints)
    {
        Calls.Add($"SetDataBreakpoints {string.Join(",", breakpoints.Select(b => $"{b.DataId}:{b.Access}"))}");
        return breakpoints.Select((b, i) => new BreakpointStatus(new BreakpointId(90 + i), true)).ToList();
    }

    public DataBreakpointTarget GetDataBreakpointTarget(string name, VariablesRef? container, FrameRef? frame) =>
        new($"{name}@{container?.Value}/{frame?.Depth}", $"{name} (4 bytes)", [DataAccess.Write, DataAccess.ReadWrite]);

    public void Dispose() => Calls.Add("Dispose");
}

internal sealed class FakeFactory : IDebugSessionFactory
{
    public FakeSession? Session { get; private set; }

    public RecordOptions? Recorded { get; private set; }

    /// <summary>The process the last trace was opened to debug.</summary>
    public int? Pid { get; private set; }

    /// <summary>Whether the trace opened is a .NET program's, with an exception in flight at its end.</summary>
    public bool Dotnet { get; init; }

    public IDebugSession OpenTrace(string tracePath, IDebugEventSink events, int? pid = null)
    {
        Pid = pid;
        return tracePath == "missing.rwd"
            ? throw new RewindException("missing.rwd: no such file")
            : Session = new FakeSession(events, Dotnet);
    }

    public IDebugSession RecordAndOpen(RecordOptions options, IDebugEventSink events)
    {
        Recorded = options;
        events.Output(OutputKind.Stdout, "recording…\n");
        return Session = new FakeSession(events);
    }
}
