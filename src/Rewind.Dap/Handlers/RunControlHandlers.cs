using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;
using Rewind.Dap.Session;

namespace Rewind.Dap.Handlers;

// The run-control requests, forward and backward. Each answers at once and starts the motion
// after its response, so the client sees the response before the stop it leads to.
// (Several small handlers share this file: each is three lines of mapping.)

public sealed class ContinueHandler : RequestHandler<ContinueArguments, ContinueResponseBody>
{
    public override string Command => "continue";

    protected override JsonTypeInfo<ContinueArguments> ArgumentsType => DapJsonContext.Default.ContinueArguments;

    protected override JsonTypeInfo<ContinueResponseBody> BodyType => DapJsonContext.Default.ContinueResponseBody;

    protected override ContinueResponseBody Handle(ContinueArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        context.AfterResponse(() => session.Resume(Direction.Forward));
        return new ContinueResponseBody(AllThreadsContinued: true);
    }
}

public sealed class ReverseContinueHandler : RequestHandler<ReverseContinueArguments>
{
    public override string Command => "reverseContinue";

    protected override JsonTypeInfo<ReverseContinueArguments> ArgumentsType => DapJsonContext.Default.ReverseContinueArguments;

    protected override void Handle(ReverseContinueArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        context.AfterResponse(() => session.Resume(Direction.Backward));
    }
}

/// <summary>A step request of <see cref="StepArguments"/> shape: next, stepOut, stepBack and Rewind's reverse steps.</summary>
public abstract class StepHandler(StepKind kind, Direction direction) : RequestHandler<StepArguments>
{
    protected override JsonTypeInfo<StepArguments> ArgumentsType => DapJsonContext.Default.StepArguments;

    protected override void Handle(StepArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var granularity = Mapping.ToGranularity(arguments.Granularity);
        var thread = new Tid(arguments.ThreadId);
        context.AfterResponse(() => session.Step(thread, kind, direction, granularity));
    }
}

public sealed class NextHandler() : StepHandler(StepKind.Over, Direction.Forward)
{
    public override string Command => "next";
}

public sealed class StepOutHandler() : StepHandler(StepKind.Out, Direction.Forward)
{
    public override string Command => "stepOut";
}

/// <summary><c>stepBack</c>: the reverse of stepIn (VS Code's Step Back button).</summary>
public sealed class StepBackHandler() : StepHandler(StepKind.Into, Direction.Backward)
{
    public override string Command => "stepBack";
}

public sealed class ReverseNextHandler() : StepHandler(StepKind.Over, Direction.Backward)
{
    public override string Command => RewindCommands.ReverseNext;
}

public sealed class ReverseStepOutHandler() : StepHandler(StepKind.Out, Direction.Backward)
{
    public override string Command => RewindCommands.ReverseStepOut;
}

public sealed class StepInHandler : RequestHandler<StepInArguments>
{
    public override string Command => "stepIn";

    protected override JsonTypeInfo<StepInArguments> ArgumentsType => DapJsonContext.Default.StepInArguments;

    protected override void Handle(StepInArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        var granularity = Mapping.ToGranularity(arguments.Granularity);
        var thread = new Tid(arguments.ThreadId);
        context.AfterResponse(() => session.Step(thread, StepKind.Into, Direction.Forward, granularity));
    }
}

public sealed class PauseHandler : RequestHandler<PauseArguments>
{
    public override string Command => "pause";

    protected override JsonTypeInfo<PauseArguments> ArgumentsType => DapJsonContext.Default.PauseArguments;

    protected override void Handle(PauseArguments arguments, DapContext context) => context.RequireSession().Pause();
}
