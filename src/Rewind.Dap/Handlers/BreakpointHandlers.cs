using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;
using Rewind.Dap.Session;

namespace Rewind.Dap.Handlers;

// The breakpoint requests. Each replaces the whole set of its kind, as in the specification.

internal static class BreakpointMapping
{
    public static SetBreakpointsResponseBody ToBody(IReadOnlyList<BreakpointStatus> statuses, DapContext context) =>
        new(statuses.Select(s => ToDap(s, context)).ToList());

    public static Breakpoint ToDap(BreakpointStatus s, DapContext context) => new(
        s.Verified,
        s.Id.Value,
        s.Message,
        s.Location is null ? null : Mapping.ToSource(s.Location.Path),
        s.Location is null ? null : context.ToClientLine(s.Location.Line),
        s.Location is null ? null : context.ToClientColumn(s.Location.Column),
        InstructionReference: s.Address is { } a ? Mapping.ToReference(a) : null);
}

public sealed class SetBreakpointsHandler : RequestHandler<SetBreakpointsArguments, SetBreakpointsResponseBody>
{
    public override string Command => "setBreakpoints";

    protected override JsonTypeInfo<SetBreakpointsArguments> ArgumentsType => DapJsonContext.Default.SetBreakpointsArguments;

    protected override JsonTypeInfo<SetBreakpointsResponseBody> BodyType => DapJsonContext.Default.SetBreakpointsResponseBody;

    protected override SetBreakpointsResponseBody Handle(SetBreakpointsArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var path = arguments.Source.Path ?? throw new DapException("setBreakpoints needs a source with a path");
        // 'lines' is the deprecated form of 'breakpoints'.
        var specs = arguments.Breakpoints?.Select(b => new LineBreakpointSpec(
                context.FromClientLine(b.Line), b.Column, b.Condition, b.HitCondition, b.LogMessage)).ToList()
            ?? arguments.Lines?.Select(l => new LineBreakpointSpec(context.FromClientLine(l))).ToList()
            ?? [];
        return BreakpointMapping.ToBody(session.SetLineBreakpoints(path, specs), context);
    }
}

public sealed class SetFunctionBreakpointsHandler : RequestHandler<SetFunctionBreakpointsArguments, SetBreakpointsResponseBody>
{
    public override string Command => "setFunctionBreakpoints";

    protected override JsonTypeInfo<SetFunctionBreakpointsArguments> ArgumentsType => DapJsonContext.Default.SetFunctionBreakpointsArguments;

    protected override JsonTypeInfo<SetBreakpointsResponseBody> BodyType => DapJsonContext.Default.SetBreakpointsResponseBody;

    protected override SetBreakpointsResponseBody Handle(SetFunctionBreakpointsArguments arguments, DapContext context) =>
        BreakpointMapping.ToBody(context.RequireSession().SetFunctionBreakpoints(
            arguments.Breakpoints.Select(b => new FunctionBreakpointSpec(b.Name, b.Condition, b.HitCondition)).ToList()), context);
}

public sealed class SetInstructionBreakpointsHandler : RequestHandler<SetInstructionBreakpointsArguments, SetBreakpointsResponseBody>
{
    public override string Command => "setInstructionBreakpoints";

    protected override JsonTypeInfo<SetInstructionBreakpointsArguments> ArgumentsType => DapJsonContext.Default.SetInstructionBreakpointsArguments;

    protected override JsonTypeInfo<SetBreakpointsResponseBody> BodyType => DapJsonContext.Default.SetBreakpointsResponseBody;

    protected override SetBreakpointsResponseBody Handle(SetInstructionBreakpointsArguments arguments, DapContext context) =>
        BreakpointMapping.ToBody(context.RequireSession().SetInstructionBreakpoints(
            arguments.Breakpoints.Select(b => new InstructionBreakpointSpec(
                Mapping.Offset(Mapping.ParseReference(b.InstructionReference), b.Offset ?? 0), b.Condition, b.HitCondition)).ToList()), context);
}

/// <summary><c>dataBreakpointInfo</c>: by variable (a variablesReference and a name) or by expression (a frame).</summary>
public sealed class DataBreakpointInfoHandler : RequestHandler<DataBreakpointInfoArguments, DataBreakpointInfoResponseBody>
{
    public override string Command => "dataBreakpointInfo";

    protected override JsonTypeInfo<DataBreakpointInfoArguments> ArgumentsType => DapJsonContext.Default.DataBreakpointInfoArguments;

    protected override JsonTypeInfo<DataBreakpointInfoResponseBody> BodyType => DapJsonContext.Default.DataBreakpointInfoResponseBody;

    protected override DataBreakpointInfoResponseBody Handle(DataBreakpointInfoArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        VariablesRef? container = arguments.VariablesReference is { } r and > 0 ? context.RequireVariables(r) : null;
        FrameRef? frame = arguments.FrameId is { } f ? context.RequireFrame(f) : null;
        var target = session.GetDataBreakpointTarget(arguments.Name, container, frame);
        return new DataBreakpointInfoResponseBody(
            target.DataId,
            target.Description,
            target.AccessTypes.Select(Mapping.ToDap).ToList(),
            CanPersist: false);
    }
}

public sealed class SetDataBreakpointsHandler : RequestHandler<SetDataBreakpointsArguments, SetBreakpointsResponseBody>
{
    public override string Command => "setDataBreakpoints";

    protected override JsonTypeInfo<SetDataBreakpointsArguments> ArgumentsType => DapJsonContext.Default.SetDataBreakpointsArguments;

    protected override JsonTypeInfo<SetBreakpointsResponseBody> BodyType => DapJsonContext.Default.SetBreakpointsResponseBody;

    protected override SetBreakpointsResponseBody Handle(SetDataBreakpointsArguments arguments, DapContext context) =>
        BreakpointMapping.ToBody(context.RequireSession().SetDataBreakpoints(
            arguments.Breakpoints.Select(b => new DataBreakpointSpec(
                b.DataId, Mapping.ToDataAccess(b.AccessType), b.Condition, b.HitCondition)).ToList()), context);
}

/// <summary>
/// <c>setExceptionBreakpoints</c>: Rewind declares no exception filters (a fatal signal always
/// stops the replay), but VS Code may still send the request; it is accepted.
/// </summary>
public sealed class SetExceptionBreakpointsHandler : RequestHandler<SetExceptionBreakpointsArguments, SetExceptionBreakpointsResponseBody>
{
    public override string Command => "setExceptionBreakpoints";

    protected override JsonTypeInfo<SetExceptionBreakpointsArguments> ArgumentsType => DapJsonContext.Default.SetExceptionBreakpointsArguments;

    protected override JsonTypeInfo<SetExceptionBreakpointsResponseBody> BodyType => DapJsonContext.Default.SetExceptionBreakpointsResponseBody;

    protected override SetExceptionBreakpointsResponseBody Handle(SetExceptionBreakpointsArguments arguments, DapContext context) =>
        new(arguments.Filters.Select(f => new Breakpoint(false, Message: $"unknown exception filter '{f}'")).ToList());
}
