using System.Collections.Frozen;
using Rewind.Dap.Protocol;

namespace Rewind.Dap.Handlers;

/// <summary>Command name → handler. A command without a handler answers "not supported yet: X".</summary>
public sealed class HandlerRegistry
{
    private readonly FrozenDictionary<string, IRequestHandler> _handlers;

    public HandlerRegistry(IEnumerable<IRequestHandler> handlers)
    {
        _handlers = handlers.ToFrozenDictionary(h => h.Command, StringComparer.Ordinal);
    }

    /// <summary>The handlers this build serves.</summary>
    public static HandlerRegistry CreateDefault() => new(
    [
        new InitializeHandler(),
        new LaunchHandler(),
        new ConfigurationDoneHandler(),
        new DisconnectHandler(),
        // Run control
        new ContinueHandler(),
        new ReverseContinueHandler(),
        new NextHandler(),
        new StepInHandler(),
        new StepOutHandler(),
        new StepBackHandler(),
        new ReverseNextHandler(),
        new ReverseStepOutHandler(),
        new PauseHandler(),
        // Time travel
        new GotoTargetsHandler(),
        new GotoHandler(),
        new GotoEventHandler(),
        new TimelineHandler(),
        // State
        new ThreadsHandler(),
        new StackTraceHandler(),
        new ScopesHandler(),
        new VariablesHandler(),
        new EvaluateHandler(),
        new ExceptionInfoHandler(),
        // Breakpoints
        new SetBreakpointsHandler(),
        new SetFunctionBreakpointsHandler(),
        new SetInstructionBreakpointsHandler(),
        new DataBreakpointInfoHandler(),
        new SetDataBreakpointsHandler(),
        new SetExceptionBreakpointsHandler(),
        // Memory
        new ReadMemoryHandler(),
        new DisassembleHandler(),
    ]);

    public IEnumerable<string> Commands => _handlers.Keys;

    public bool TryGet(string command, out IRequestHandler handler) => _handlers.TryGetValue(command, out handler!);

    /// <summary>The error text for a command without a handler.</summary>
    public static string Unsupported(string command) =>
        KnownCommands.Contains(command) ? $"not supported yet: {command}" : $"unknown request: {command}";

    /// <summary>The requests of the specification (client to adapter) and Rewind's own.</summary>
    internal static readonly FrozenSet<string> KnownCommands = new[]
    {
        "cancel", "initialize", "configurationDone", "launch", "attach", "restart", "disconnect",
        "terminate", "breakpointLocations", "setBreakpoints", "setFunctionBreakpoints",
        "setExceptionBreakpoints", "dataBreakpointInfo", "setDataBreakpoints",
        "setInstructionBreakpoints", "continue", "next", "stepIn", "stepOut", "stepBack",
        "reverseContinue", "restartFrame", "goto", "pause", "stackTrace", "scopes", "variables",
        "setVariable", "source", "threads", "terminateThreads", "modules", "loadedSources",
        "evaluate", "setExpression", "stepInTargets", "gotoTargets", "completions",
        "exceptionInfo", "readMemory", "writeMemory", "disassemble", "locations",
        RewindCommands.Timeline, RewindCommands.GotoEvent, RewindCommands.ReverseNext,
        RewindCommands.ReverseStepOut,
    }.ToFrozenSet(StringComparer.Ordinal);
}
