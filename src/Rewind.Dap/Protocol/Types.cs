using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Dap.Protocol;

// The DAP specification's shared types ("Types" section), in its field order. Line and column
// numbers are as the client asked in initialize (linesStartAt1, columnsStartAt1; 1-based by default).

public sealed record Thread(int Id, string Name);

public sealed record Source(
    string? Name = null,
    string? Path = null,
    int? SourceReference = null,
    string? PresentationHint = null,
    string? Origin = null,
    IReadOnlyList<Source>? Sources = null,
    JsonElement? AdapterData = null,
    IReadOnlyList<Checksum>? Checksums = null);

public sealed record Checksum(string Algorithm, [property: JsonPropertyName("checksum")] string Value);

public sealed record StackFrame(
    int Id,
    string Name,
    int Line,
    int Column,
    Source? Source = null,
    int? EndLine = null,
    int? EndColumn = null,
    bool? CanRestart = null,
    string? InstructionPointerReference = null,
    string? ModuleId = null,
    string? PresentationHint = null);

public sealed record Scope(
    string Name,
    int VariablesReference,
    bool Expensive,
    string? PresentationHint = null,
    int? NamedVariables = null,
    int? IndexedVariables = null,
    Source? Source = null,
    int? Line = null,
    int? Column = null,
    int? EndLine = null,
    int? EndColumn = null);

public sealed record Variable(
    string Name,
    string Value,
    int VariablesReference,
    string? Type = null,
    VariablePresentationHint? PresentationHint = null,
    string? EvaluateName = null,
    int? NamedVariables = null,
    int? IndexedVariables = null,
    string? MemoryReference = null,
    int? DeclarationLocationReference = null,
    int? ValueLocationReference = null);

public sealed record VariablePresentationHint(
    string? Kind = null,
    IReadOnlyList<string>? Attributes = null,
    string? Visibility = null,
    bool? Lazy = null);

public sealed record SourceBreakpoint(
    int Line,
    int? Column = null,
    string? Condition = null,
    string? HitCondition = null,
    string? LogMessage = null,
    string? Mode = null);

public sealed record FunctionBreakpoint(string Name, string? Condition = null, string? HitCondition = null);

public sealed record DataBreakpoint(string DataId, string? AccessType = null, string? Condition = null, string? HitCondition = null);

public sealed record InstructionBreakpoint(
    string InstructionReference,
    int? Offset = null,
    string? Condition = null,
    string? HitCondition = null,
    string? Mode = null);

/// <summary>What the adapter made of a requested breakpoint.</summary>
public sealed record Breakpoint(
    bool Verified,
    int? Id = null,
    string? Message = null,
    Source? Source = null,
    int? Line = null,
    int? Column = null,
    int? EndLine = null,
    int? EndColumn = null,
    string? InstructionReference = null,
    int? Offset = null,
    string? Reason = null);

public sealed record GotoTarget(
    int Id,
    string Label,
    int Line,
    int? Column = null,
    int? EndLine = null,
    int? EndColumn = null,
    string? InstructionPointerReference = null);

public sealed record ValueFormat(bool? Hex = null);

public sealed record StackFrameFormat(
    bool? Hex = null,
    bool? Parameters = null,
    bool? ParameterTypes = null,
    bool? ParameterNames = null,
    bool? ParameterValues = null,
    bool? Line = null,
    bool? Module = null,
    bool? IncludeAll = null);

public sealed record ExceptionFilterOptions(string FilterId, string? Condition = null, string? Mode = null);

public sealed record ExceptionPathSegment(IReadOnlyList<string> Names, bool? Negate = null);

public sealed record ExceptionOptions(string BreakMode, IReadOnlyList<ExceptionPathSegment>? Path = null);

public sealed record ExceptionDetails(
    string? Message = null,
    string? TypeName = null,
    string? FullTypeName = null,
    string? EvaluateName = null,
    string? StackTrace = null,
    IReadOnlyList<ExceptionDetails>? InnerException = null);

public sealed record DisassembledInstruction(
    string Address,
    string Instruction,
    string? InstructionBytes = null,
    string? Symbol = null,
    Source? Location = null,
    int? Line = null,
    int? Column = null,
    int? EndLine = null,
    int? EndColumn = null,
    string? PresentationHint = null);

/// <summary>The open string enumerations of the specification, as constants.</summary>
public static class StopReasons
{
    public const string Step = "step";
    public const string Breakpoint = "breakpoint";
    public const string Exception = "exception";
    public const string Pause = "pause";
    public const string Entry = "entry";
    public const string Goto = "goto";
    public const string FunctionBreakpoint = "function breakpoint";
    public const string DataBreakpoint = "data breakpoint";
    public const string InstructionBreakpoint = "instruction breakpoint";
}

public static class OutputCategories
{
    public const string Console = "console";
    public const string Important = "important";
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";
    public const string Telemetry = "telemetry";
}

public static class InvalidatedAreas
{
    public const string All = "all";
    public const string Stacks = "stacks";
    public const string Threads = "threads";
    public const string Variables = "variables";
}

public static class SteppingGranularities
{
    public const string Statement = "statement";
    public const string Line = "line";
    public const string Instruction = "instruction";
}

public static class DataBreakpointAccessTypes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string ReadWrite = "readWrite";
}
