namespace Rewind.Dap.Protocol;

// Arguments and response bodies of the run-control requests, forward and backward in time.

public sealed record ContinueArguments(int ThreadId, bool? SingleThread = null);

public sealed record ContinueResponseBody(bool? AllThreadsContinued = null);

/// <summary>The arguments of next, stepOut and stepBack (and Rewind's reverse steps): a thread and a granularity.</summary>
public sealed record StepArguments(int ThreadId, bool? SingleThread = null, string? Granularity = null);

public sealed record StepInArguments(int ThreadId, bool? SingleThread = null, int? TargetId = null, string? Granularity = null);

public sealed record ReverseContinueArguments(int ThreadId, bool? SingleThread = null);

public sealed record PauseArguments(int ThreadId);

public sealed record GotoArguments(int ThreadId, int TargetId);

public sealed record GotoTargetsArguments(Source Source, int Line, int? Column = null);

public sealed record GotoTargetsResponseBody(IReadOnlyList<GotoTarget> Targets);

public sealed record RestartFrameArguments(int FrameId);
