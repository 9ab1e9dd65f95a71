using Rewind.Dap.Handlers;
using Rewind.Dap.Protocol;
using Rewind.Dap.Session;

namespace Rewind.Dap;

/// <summary>Turns what the engine reports into DAP events; called on the engine's thread.</summary>
public sealed class DapEventSink(DapContext context) : IDebugEventSink
{
    public void Stopped(StopInfo stop)
    {
        context.ResetReferences();
        var connection = context.Connection;
        connection.SendEvent(EventNames.Stopped, new StoppedEventBody(
            Mapping.ToDap(stop.Reason),
            Description: stop.Description,
            ThreadId: stop.Thread.Value,
            AllThreadsStopped: true,
            HitBreakpointIds: stop.HitBreakpoints?.Select(b => b.Value).ToList()), DapJsonContext.Default.StoppedEventBody);

        // After a jump every view shows another moment: ask the client to fetch everything again.
        if (stop.Reason == StopReason.Goto && context.Client?.SupportsInvalidatedEvent == true)
            connection.SendEvent(EventNames.Invalidated, new InvalidatedEventBody([InvalidatedAreas.All]), DapJsonContext.Default.InvalidatedEventBody);

        var p = stop.Position;
        connection.SendEvent(RewindEvents.Position, new PositionEventBody(p.Event, p.TotalEvents, p.Percent, stop.Thread.Value), DapJsonContext.Default.PositionEventBody);
    }

    public void Output(OutputKind kind, string text) =>
        context.Connection.SendEvent(EventNames.Output, new OutputEventBody(text, Mapping.ToDap(kind)), DapJsonContext.Default.OutputEventBody);

    public void BreakpointChanged(BreakpointStatus status) =>
        context.Connection.SendEvent(EventNames.Breakpoint, new BreakpointEventBody("changed", BreakpointMapping.ToDap(status, context)), DapJsonContext.Default.BreakpointEventBody);

    public void ThreadStarted(Tid thread) =>
        context.Connection.SendEvent(EventNames.Thread, new ThreadEventBody("started", thread.Value), DapJsonContext.Default.ThreadEventBody);

    public void ThreadExited(Tid thread) =>
        context.Connection.SendEvent(EventNames.Thread, new ThreadEventBody("exited", thread.Value), DapJsonContext.Default.ThreadEventBody);

    public void Ended(string reason)
    {
        context.Connection.SendEvent(EventNames.Output, new OutputEventBody(reason + "\n", OutputCategories.Important), DapJsonContext.Default.OutputEventBody);
        context.Connection.SendEvent(EventNames.Terminated, new TerminatedEventBody(), DapJsonContext.Default.TerminatedEventBody);
    }
}
