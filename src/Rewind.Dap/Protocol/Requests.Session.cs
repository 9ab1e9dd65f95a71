using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Dap.Protocol;

// Arguments and response bodies of the requests that open and close a debug session.

public sealed record InitializeRequestArguments(
    string AdapterID,
    string? ClientID = null,
    string? ClientName = null,
    string? Locale = null,
    bool? LinesStartAt1 = null,
    bool? ColumnsStartAt1 = null,
    string? PathFormat = null,
    bool? SupportsVariableType = null,
    bool? SupportsVariablePaging = null,
    bool? SupportsRunInTerminalRequest = null,
    bool? SupportsMemoryReferences = null,
    bool? SupportsProgressReporting = null,
    bool? SupportsInvalidatedEvent = null,
    bool? SupportsMemoryEvent = null,
    bool? SupportsArgsCanBeInterpretedByShell = null,
    bool? SupportsStartDebuggingRequest = null,
    bool? SupportsANSIStyling = null);

/// <summary>
/// Rewind's launch configuration. The specification leaves launch arguments to the adapter
/// beyond <c>noDebug</c> and <c>__restart</c>; ours open a trace, or record a program first.
/// </summary>
public sealed record LaunchRequestArguments(
    bool? NoDebug = null,
    [property: JsonPropertyName("__restart")] JsonElement? Restart = null,
    string? Trace = null,
    string? Program = null,
    IReadOnlyList<string>? Args = null,
    string? Cwd = null,
    IReadOnlyDictionary<string, string>? Env = null,
    string? StopAt = null,
    int? Pid = null);

public sealed record AttachRequestArguments(
    [property: JsonPropertyName("__restart")] JsonElement? Restart = null);

public sealed record ConfigurationDoneArguments;

public sealed record DisconnectArguments(bool? Restart = null, bool? TerminateDebuggee = null, bool? SuspendDebuggee = null);

public sealed record TerminateArguments(bool? Restart = null);

public sealed record RestartArguments(LaunchRequestArguments? Arguments = null);

public sealed record CancelArguments(int? RequestId = null, string? ProgressId = null);

/// <summary>Values of <see cref="LaunchRequestArguments.StopAt"/>.</summary>
public static class StopAtValues
{
    public const string Start = "start";
    public const string End = "end";
}
