using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;
using Rewind.Dap.Session;
using DapThread = Rewind.Dap.Protocol.Thread;

namespace Rewind.Dap.Handlers;

// The requests that inspect the state at the current position.

public sealed class ThreadsHandler : RequestHandler<ConfigurationDoneArguments, ThreadsResponseBody>
{
    public override string Command => "threads";

    // threads has no arguments; any object is accepted.
    protected override JsonTypeInfo<ConfigurationDoneArguments> ArgumentsType => DapJsonContext.Default.ConfigurationDoneArguments;

    protected override JsonTypeInfo<ThreadsResponseBody> BodyType => DapJsonContext.Default.ThreadsResponseBody;

    // VS Code asks for threads as soon as it connects: before launch the answer is no threads.
    protected override ThreadsResponseBody Handle(ConfigurationDoneArguments arguments, DapContext context) =>
        new(context.Session?.GetThreads().Select(t => new DapThread(t.Id.Value, t.Name)).ToList() ?? []);
}

public sealed class StackTraceHandler : RequestHandler<StackTraceArguments, StackTraceResponseBody>
{
    public override string Command => "stackTrace";

    protected override JsonTypeInfo<StackTraceArguments> ArgumentsType => DapJsonContext.Default.StackTraceArguments;

    protected override JsonTypeInfo<StackTraceResponseBody> BodyType => DapJsonContext.Default.StackTraceResponseBody;

    protected override StackTraceResponseBody Handle(StackTraceArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var thread = new Tid(arguments.ThreadId);
        var start = Math.Max(0, arguments.StartFrame ?? 0);
        var stack = session.GetStack(thread, start, Math.Max(0, arguments.Levels ?? 0));
        var frames = stack.Frames.Select((f, i) => new StackFrame(
            context.Frames.Add(new FrameRef(thread, start + i)),
            f.Name,
            f.Location is null ? 0 : context.ToClientLine(f.Location.Line),
            f.Location is null ? 0 : context.ToClientColumn(f.Location.Column),
            Source: f.Location is null ? null : Mapping.ToSource(f.Location.Path),
            InstructionPointerReference: Mapping.ToReference(f.Pc),
            ModuleId: f.Module,
            // Frames without source (libc, the dynamic loader) are shown dimmed, as VS Code does for others.
            PresentationHint: f.Location is null ? "subtle" : null)).ToList();
        return new StackTraceResponseBody(frames, stack.TotalFrames);
    }
}

public sealed class ScopesHandler : RequestHandler<ScopesArguments, ScopesResponseBody>
{
    public override string Command => "scopes";

    protected override JsonTypeInfo<ScopesArguments> ArgumentsType => DapJsonContext.Default.ScopesArguments;

    protected override JsonTypeInfo<ScopesResponseBody> BodyType => DapJsonContext.Default.ScopesResponseBody;

    protected override ScopesResponseBody Handle(ScopesArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var frame = context.RequireFrame(arguments.FrameId);
        var scopes = session.GetScopes(frame).Select(s => new Scope(
            s.Name,
            context.Variables.Add(s.Variables),
            s.Expensive,
            PresentationHint: Mapping.ToDap(s.Kind),
            NamedVariables: s.NamedVariables)).ToList();
        return new ScopesResponseBody(scopes);
    }
}

public sealed class VariablesHandler : RequestHandler<VariablesArguments, VariablesResponseBody>
{
    public override string Command => "variables";

    protected override JsonTypeInfo<VariablesArguments> ArgumentsType => DapJsonContext.Default.VariablesArguments;

    protected override JsonTypeInfo<VariablesResponseBody> BodyType => DapJsonContext.Default.VariablesResponseBody;

    protected override VariablesResponseBody Handle(VariablesArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var container = context.RequireVariables(arguments.VariablesReference);
        var values = session.GetVariables(container, Math.Max(0, arguments.Start ?? 0), Math.Max(0, arguments.Count ?? 0));
        return new VariablesResponseBody(values.Select(v => ToVariable(v, context)).ToList());
    }

    internal static Variable ToVariable(ValueInfo v, DapContext context) => new(
        v.Name,
        v.Value,
        v.Children is { } children ? context.Variables.Add(children) : 0,
        Type: v.Type,
        EvaluateName: v.EvaluateName,
        NamedVariables: v.NamedChildren,
        IndexedVariables: v.IndexedChildren,
        MemoryReference: v.Address is { } a ? Mapping.ToReference(a) : null);
}

public sealed class EvaluateHandler : RequestHandler<EvaluateArguments, EvaluateResponseBody>
{
    public override string Command => "evaluate";

    protected override JsonTypeInfo<EvaluateArguments> ArgumentsType => DapJsonContext.Default.EvaluateArguments;

    protected override JsonTypeInfo<EvaluateResponseBody> BodyType => DapJsonContext.Default.EvaluateResponseBody;

    protected override EvaluateResponseBody Handle(EvaluateArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        FrameRef? frame = arguments.FrameId is { } id ? context.RequireFrame(id) : null;
        var v = session.Evaluate(arguments.Expression, frame, Mapping.ToEvaluationContext(arguments.Context));
        return new EvaluateResponseBody(
            v.Value,
            v.Children is { } children ? context.Variables.Add(children) : 0,
            Type: v.Type,
            NamedVariables: v.NamedChildren,
            IndexedVariables: v.IndexedChildren,
            MemoryReference: v.Address is { } a ? Mapping.ToReference(a) : null);
    }
}

/// <summary><c>exceptionInfo</c>: the .NET exception in flight on the thread, else the fatal signal it stopped for.</summary>
public sealed class ExceptionInfoHandler : RequestHandler<ExceptionInfoArguments, ExceptionInfoResponseBody>
{
    public override string Command => "exceptionInfo";

    protected override JsonTypeInfo<ExceptionInfoArguments> ArgumentsType => DapJsonContext.Default.ExceptionInfoArguments;

    protected override JsonTypeInfo<ExceptionInfoResponseBody> BodyType => DapJsonContext.Default.ExceptionInfoResponseBody;

    protected override ExceptionInfoResponseBody Handle(ExceptionInfoArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        if (session.GetException(new Tid(arguments.ThreadId)) is { } thrown)
        {
            return new ExceptionInfoResponseBody(
                thrown.Type,
                thrown.Unhandled ? ExceptionBreakModes.Unhandled : ExceptionBreakModes.Always,
                thrown.Message,
                Details(thrown));
        }
        var signal = session.GetSignal(new Tid(arguments.ThreadId))
            ?? throw new DapException($"thread {arguments.ThreadId} did not stop for a signal");
        var message = signal.FaultAddress is { } address ? $"{signal.Description} (address {address})" : signal.Description;
        return new ExceptionInfoResponseBody(
            signal.Name,
            ExceptionBreakModes.Always,
            message,
            new ExceptionDetails(Message: message, TypeName: signal.Name, StackTrace: signal.Details));
    }

    private static ExceptionDetails Details(ThrownException e) => new(
        Message: e.Message,
        TypeName: e.Type[(e.Type.LastIndexOf('.') + 1)..],
        FullTypeName: e.Type,
        EvaluateName: "$exception",
        StackTrace: e.StackTrace,
        InnerException: e.Inner.Count > 0 ? [.. e.Inner.Select(Details)] : null);
}
