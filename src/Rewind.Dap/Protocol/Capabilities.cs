namespace Rewind.Dap.Protocol;

/// <summary>What the adapter can do: the body of the <c>initialize</c> response and of the <c>capabilities</c> event.</summary>
public sealed record Capabilities
{
    public bool? SupportsConfigurationDoneRequest { get; init; }
    public bool? SupportsFunctionBreakpoints { get; init; }
    public bool? SupportsConditionalBreakpoints { get; init; }
    public bool? SupportsHitConditionalBreakpoints { get; init; }
    public bool? SupportsEvaluateForHovers { get; init; }
    public IReadOnlyList<ExceptionBreakpointsFilter>? ExceptionBreakpointFilters { get; init; }
    public bool? SupportsStepBack { get; init; }
    public bool? SupportsSetVariable { get; init; }
    public bool? SupportsRestartFrame { get; init; }
    public bool? SupportsGotoTargetsRequest { get; init; }
    public bool? SupportsStepInTargetsRequest { get; init; }
    public bool? SupportsCompletionsRequest { get; init; }
    public IReadOnlyList<string>? CompletionTriggerCharacters { get; init; }
    public bool? SupportsModulesRequest { get; init; }
    public bool? SupportsRestartRequest { get; init; }
    public bool? SupportsExceptionOptions { get; init; }
    public bool? SupportsValueFormattingOptions { get; init; }
    public bool? SupportsExceptionInfoRequest { get; init; }
    public bool? SupportTerminateDebuggee { get; init; }
    public bool? SupportSuspendDebuggee { get; init; }
    public bool? SupportsDelayedStackTraceLoading { get; init; }
    public bool? SupportsLoadedSourcesRequest { get; init; }
    public bool? SupportsLogPoints { get; init; }
    public bool? SupportsTerminateThreadsRequest { get; init; }
    public bool? SupportsSetExpression { get; init; }
    public bool? SupportsTerminateRequest { get; init; }
    public bool? SupportsDataBreakpoints { get; init; }
    public bool? SupportsReadMemoryRequest { get; init; }
    public bool? SupportsWriteMemoryRequest { get; init; }
    public bool? SupportsDisassembleRequest { get; init; }
    public bool? SupportsCancelRequest { get; init; }
    public bool? SupportsBreakpointLocationsRequest { get; init; }
    public bool? SupportsClipboardContext { get; init; }
    public bool? SupportsSteppingGranularity { get; init; }
    public bool? SupportsInstructionBreakpoints { get; init; }
    public bool? SupportsExceptionFilterOptions { get; init; }
    public bool? SupportsSingleThreadExecutionRequests { get; init; }
    public bool? SupportsDataBreakpointBytes { get; init; }
    public bool? SupportsANSIStyling { get; init; }
}

public sealed record ExceptionBreakpointsFilter(
    string Filter,
    string Label,
    string? Description = null,
    bool? Default = null,
    bool? SupportsCondition = null,
    string? ConditionDescription = null);
