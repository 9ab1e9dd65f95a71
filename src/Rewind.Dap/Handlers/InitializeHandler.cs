using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;

namespace Rewind.Dap.Handlers;

/// <summary><c>initialize</c>: remembers the client and answers what Rewind can do.</summary>
public sealed class InitializeHandler : RequestHandler<InitializeRequestArguments, Capabilities>
{
    public override string Command => "initialize";

    protected override JsonTypeInfo<InitializeRequestArguments> ArgumentsType => DapJsonContext.Default.InitializeRequestArguments;

    protected override JsonTypeInfo<Capabilities> BodyType => DapJsonContext.Default.Capabilities;

    protected override Capabilities Handle(InitializeRequestArguments arguments, DapContext context)
    {
        if (context.Client is not null)
            throw new DapException("initialize was already received: it may be sent only once");
        context.Client = arguments;
        return RewindCapabilities;
    }

    /// <summary>
    /// The capabilities of the feature list. A replay cannot change the past, so
    /// there is no setVariable, setExpression, writeMemory or restartFrame.
    /// </summary>
    public static Capabilities RewindCapabilities { get; } = new()
    {
        SupportsConfigurationDoneRequest = true,
        SupportsFunctionBreakpoints = true,
        SupportsConditionalBreakpoints = true,
        SupportsHitConditionalBreakpoints = true,
        SupportsEvaluateForHovers = true,
        ExceptionBreakpointFilters = [],
        SupportsStepBack = true,
        SupportsSetVariable = false,
        SupportsRestartFrame = false,
        SupportsGotoTargetsRequest = true,
        SupportsStepInTargetsRequest = false,
        SupportsCompletionsRequest = false,
        SupportsModulesRequest = false,
        SupportsRestartRequest = false,
        SupportsExceptionOptions = false,
        SupportsValueFormattingOptions = false,
        SupportsExceptionInfoRequest = true,
        SupportTerminateDebuggee = false,
        SupportSuspendDebuggee = false,
        SupportsDelayedStackTraceLoading = true,
        SupportsLoadedSourcesRequest = false,
        SupportsLogPoints = true,
        SupportsTerminateThreadsRequest = false,
        SupportsSetExpression = false,
        SupportsTerminateRequest = false,
        SupportsDataBreakpoints = true,
        SupportsReadMemoryRequest = true,
        SupportsWriteMemoryRequest = false,
        SupportsDisassembleRequest = true,
        SupportsCancelRequest = false,
        SupportsBreakpointLocationsRequest = false,
        SupportsClipboardContext = false,
        SupportsSteppingGranularity = true,
        SupportsInstructionBreakpoints = true,
        SupportsExceptionFilterOptions = false,
        SupportsSingleThreadExecutionRequests = false,
        SupportsDataBreakpointBytes = false,
    };
}
