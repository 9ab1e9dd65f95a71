namespace Rewind.Dap.Protocol;

// Arguments and response bodies of the requests that inspect the state at the current
// position: threads, stack, scopes, variables, evaluation, sources, the fatal signal.

public sealed record ThreadsResponseBody(IReadOnlyList<Thread> Threads);

public sealed record StackTraceArguments(int ThreadId, int? StartFrame = null, int? Levels = null, StackFrameFormat? Format = null);

public sealed record StackTraceResponseBody(IReadOnlyList<StackFrame> StackFrames, int? TotalFrames = null);

public sealed record ScopesArguments(int FrameId);

public sealed record ScopesResponseBody(IReadOnlyList<Scope> Scopes);

public sealed record VariablesArguments(
    int VariablesReference,
    string? Filter = null,
    int? Start = null,
    int? Count = null,
    ValueFormat? Format = null);

public sealed record VariablesResponseBody(IReadOnlyList<Variable> Variables);

public sealed record SetVariableArguments(int VariablesReference, string Name, string Value, ValueFormat? Format = null);

public sealed record EvaluateArguments(
    string Expression,
    int? FrameId = null,
    int? Line = null,
    int? Column = null,
    Source? Source = null,
    string? Context = null,
    ValueFormat? Format = null);

public sealed record EvaluateResponseBody(
    string Result,
    int VariablesReference,
    string? Type = null,
    VariablePresentationHint? PresentationHint = null,
    int? NamedVariables = null,
    int? IndexedVariables = null,
    string? MemoryReference = null,
    int? ValueLocationReference = null);

public sealed record SourceArguments(int SourceReference, Source? Source = null);

public sealed record SourceResponseBody(string Content, string? MimeType = null);

public sealed record ExceptionInfoArguments(int ThreadId);

public sealed record ExceptionInfoResponseBody(
    string ExceptionId,
    string BreakMode,
    string? Description = null,
    ExceptionDetails? Details = null);

/// <summary>Values of <see cref="EvaluateArguments.Context"/>.</summary>
public static class EvaluateContexts
{
    public const string Watch = "watch";
    public const string Repl = "repl";
    public const string Hover = "hover";
    public const string Clipboard = "clipboard";
    public const string Variables = "variables";
}

/// <summary>Values of <see cref="ExceptionInfoResponseBody.BreakMode"/>.</summary>
public static class ExceptionBreakModes
{
    public const string Never = "never";
    public const string Always = "always";
    public const string Unhandled = "unhandled";
    public const string UserUnhandled = "userUnhandled";
}
