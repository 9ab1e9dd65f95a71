using System.Text.Json.Serialization;

namespace Rewind.Dap.Protocol;

// Arguments and response bodies of the breakpoint requests (source, function, data,
// instruction and exception breakpoints).

public sealed record SetBreakpointsArguments(
    Source Source,
    IReadOnlyList<SourceBreakpoint>? Breakpoints = null,
    IReadOnlyList<int>? Lines = null,
    bool? SourceModified = null);

/// <summary>The body of the setBreakpoints, setFunctionBreakpoints, setDataBreakpoints and setInstructionBreakpoints responses.</summary>
public sealed record SetBreakpointsResponseBody(IReadOnlyList<Breakpoint> Breakpoints);

public sealed record SetFunctionBreakpointsArguments(IReadOnlyList<FunctionBreakpoint> Breakpoints);

public sealed record SetExceptionBreakpointsArguments(
    IReadOnlyList<string> Filters,
    IReadOnlyList<ExceptionFilterOptions>? FilterOptions = null,
    IReadOnlyList<ExceptionOptions>? ExceptionOptions = null);

public sealed record SetExceptionBreakpointsResponseBody(IReadOnlyList<Breakpoint>? Breakpoints = null);

public sealed record DataBreakpointInfoArguments(
    string Name,
    int? VariablesReference = null,
    int? FrameId = null,
    int? Bytes = null,
    bool? AsAddress = null,
    string? Mode = null);

/// <summary>
/// <c>DataId</c> is null when no data breakpoint can be set; <c>Description</c> then says why.
/// The specification types it <c>string | null</c>, not optional, so a null is written out.
/// </summary>
public sealed record DataBreakpointInfoResponseBody(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DataId,
    string Description,
    IReadOnlyList<string>? AccessTypes = null,
    bool? CanPersist = null);

public sealed record SetDataBreakpointsArguments(IReadOnlyList<DataBreakpoint> Breakpoints);

public sealed record SetInstructionBreakpointsArguments(IReadOnlyList<InstructionBreakpoint> Breakpoints);

public sealed record BreakpointLocationsArguments(Source Source, int Line, int? Column = null, int? EndLine = null, int? EndColumn = null);

public sealed record BreakpointLocation(int Line, int? Column = null, int? EndLine = null, int? EndColumn = null);

public sealed record BreakpointLocationsResponseBody(IReadOnlyList<BreakpointLocation> Breakpoints);
