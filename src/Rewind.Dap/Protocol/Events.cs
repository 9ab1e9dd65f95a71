using System.Text.Json;

namespace Rewind.Dap.Protocol;

// Event bodies, and the names of the events the adapter sends.

public static class EventNames
{
    public const string Initialized = "initialized";
    public const string Stopped = "stopped";
    public const string Continued = "continued";
    public const string Exited = "exited";
    public const string Terminated = "terminated";
    public const string Thread = "thread";
    public const string Output = "output";
    public const string Breakpoint = "breakpoint";
    public const string Process = "process";
    public const string Capabilities = "capabilities";
    public const string Invalidated = "invalidated";
    public const string Memory = "memory";
}

public sealed record StoppedEventBody(
    string Reason,
    string? Description = null,
    int? ThreadId = null,
    bool? PreserveFocusHint = null,
    string? Text = null,
    bool? AllThreadsStopped = null,
    IReadOnlyList<int>? HitBreakpointIds = null);

public sealed record ContinuedEventBody(int ThreadId, bool? AllThreadsContinued = null);

public sealed record ExitedEventBody(int ExitCode);

public sealed record TerminatedEventBody(JsonElement? Restart = null);

public sealed record ThreadEventBody(string Reason, int ThreadId);

public sealed record OutputEventBody(
    string Output,
    string? Category = null,
    string? Group = null,
    int? VariablesReference = null,
    Source? Source = null,
    int? Line = null,
    int? Column = null,
    JsonElement? Data = null,
    int? LocationReference = null);

public sealed record BreakpointEventBody(string Reason, Breakpoint Breakpoint);

public sealed record ProcessEventBody(
    string Name,
    int? SystemProcessId = null,
    bool? IsLocalProcess = null,
    string? StartMethod = null,
    int? PointerSize = null);

public sealed record CapabilitiesEventBody(Capabilities Capabilities);

public sealed record InvalidatedEventBody(IReadOnlyList<string>? Areas = null, int? ThreadId = null, int? StackFrameId = null);

public sealed record MemoryEventBody(string MemoryReference, int Offset, int Count);
