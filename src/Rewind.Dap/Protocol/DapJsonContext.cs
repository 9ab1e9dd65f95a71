using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Dap.Protocol;

/// <summary>
/// Source-generated serialization of every DAP message type: camelCase field names as in the
/// specification, absent optional fields left out, unknown fields ignored (clients send extra
/// launch attributes), and a missing required field or a null where the specification wants
/// a value is an error the handler turns into an error response.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
// Base protocol
[JsonSerializable(typeof(ProtocolMessage))]
[JsonSerializable(typeof(Request))]
[JsonSerializable(typeof(Response))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(ErrorResponseBody))]
[JsonSerializable(typeof(Capabilities))]
// Session
[JsonSerializable(typeof(InitializeRequestArguments))]
[JsonSerializable(typeof(LaunchRequestArguments))]
[JsonSerializable(typeof(AttachRequestArguments))]
[JsonSerializable(typeof(ConfigurationDoneArguments))]
[JsonSerializable(typeof(DisconnectArguments))]
[JsonSerializable(typeof(TerminateArguments))]
[JsonSerializable(typeof(RestartArguments))]
[JsonSerializable(typeof(CancelArguments))]
// Breakpoints
[JsonSerializable(typeof(SetBreakpointsArguments))]
[JsonSerializable(typeof(SetBreakpointsResponseBody))]
[JsonSerializable(typeof(SetFunctionBreakpointsArguments))]
[JsonSerializable(typeof(SetExceptionBreakpointsArguments))]
[JsonSerializable(typeof(SetExceptionBreakpointsResponseBody))]
[JsonSerializable(typeof(DataBreakpointInfoArguments))]
[JsonSerializable(typeof(DataBreakpointInfoResponseBody))]
[JsonSerializable(typeof(SetDataBreakpointsArguments))]
[JsonSerializable(typeof(SetInstructionBreakpointsArguments))]
[JsonSerializable(typeof(BreakpointLocationsArguments))]
[JsonSerializable(typeof(BreakpointLocationsResponseBody))]
// Execution
[JsonSerializable(typeof(ContinueArguments))]
[JsonSerializable(typeof(ContinueResponseBody))]
[JsonSerializable(typeof(StepArguments))]
[JsonSerializable(typeof(StepInArguments))]
[JsonSerializable(typeof(ReverseContinueArguments))]
[JsonSerializable(typeof(PauseArguments))]
[JsonSerializable(typeof(GotoArguments))]
[JsonSerializable(typeof(GotoTargetsArguments))]
[JsonSerializable(typeof(GotoTargetsResponseBody))]
[JsonSerializable(typeof(RestartFrameArguments))]
// State
[JsonSerializable(typeof(ThreadsResponseBody))]
[JsonSerializable(typeof(StackTraceArguments))]
[JsonSerializable(typeof(StackTraceResponseBody))]
[JsonSerializable(typeof(ScopesArguments))]
[JsonSerializable(typeof(ScopesResponseBody))]
[JsonSerializable(typeof(VariablesArguments))]
[JsonSerializable(typeof(VariablesResponseBody))]
[JsonSerializable(typeof(SetVariableArguments))]
[JsonSerializable(typeof(EvaluateArguments))]
[JsonSerializable(typeof(EvaluateResponseBody))]
[JsonSerializable(typeof(SourceArguments))]
[JsonSerializable(typeof(SourceResponseBody))]
[JsonSerializable(typeof(ExceptionInfoArguments))]
[JsonSerializable(typeof(ExceptionInfoResponseBody))]
// Memory
[JsonSerializable(typeof(ReadMemoryArguments))]
[JsonSerializable(typeof(ReadMemoryResponseBody))]
[JsonSerializable(typeof(DisassembleArguments))]
[JsonSerializable(typeof(DisassembleResponseBody))]
// Events
[JsonSerializable(typeof(StoppedEventBody))]
[JsonSerializable(typeof(ContinuedEventBody))]
[JsonSerializable(typeof(ExitedEventBody))]
[JsonSerializable(typeof(TerminatedEventBody))]
[JsonSerializable(typeof(ThreadEventBody))]
[JsonSerializable(typeof(OutputEventBody))]
[JsonSerializable(typeof(BreakpointEventBody))]
[JsonSerializable(typeof(ProcessEventBody))]
[JsonSerializable(typeof(CapabilitiesEventBody))]
[JsonSerializable(typeof(InvalidatedEventBody))]
[JsonSerializable(typeof(MemoryEventBody))]
// Rewind
[JsonSerializable(typeof(TimelineArguments))]
[JsonSerializable(typeof(TimelineResponseBody))]
[JsonSerializable(typeof(GotoEventArguments))]
[JsonSerializable(typeof(PositionEventBody))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class DapJsonContext : JsonSerializerContext;
