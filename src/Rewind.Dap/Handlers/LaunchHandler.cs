using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;
using Rewind.Dap.Session;

namespace Rewind.Dap.Handlers;

/// <summary>
/// <c>launch</c>: opens the trace (recording the program first if asked), then announces
/// <c>initialized</c> so the client sends its breakpoints; <c>configurationDone</c> starts.
/// </summary>
public sealed class LaunchHandler : RequestHandler<LaunchRequestArguments>
{
    public override string Command => "launch";

    protected override JsonTypeInfo<LaunchRequestArguments> ArgumentsType => DapJsonContext.Default.LaunchRequestArguments;

    protected override void Handle(LaunchRequestArguments arguments, DapContext context)
    {
        var hasTrace = !string.IsNullOrEmpty(arguments.Trace);
        var hasProgram = !string.IsNullOrEmpty(arguments.Program);
        if (hasTrace == hasProgram)
        {
            throw new DapException(hasTrace
                ? "give either 'trace' (to replay) or 'program' (to record first), not both"
                : "give 'trace' (a trace file to replay) or 'program' (to record first)");
        }
        if (arguments.Pid is not null && !hasTrace)
        {
            throw new DapException("'pid' names a process of a trace: give it with 'trace'");
        }

        var startAt = arguments.StopAt switch
        {
            null => StartAt.Auto,
            StopAtValues.Start => StartAt.Beginning,
            StopAtValues.End => StartAt.End,
            _ => throw new DapException($"'stopAt' is \"start\" or \"end\", not \"{arguments.StopAt}\""),
        };
        if (context.Session is not null)
            throw new DapException("a trace is already open in this session");
        var factory = context.SessionFactory
            ?? throw new DapException("not supported yet: launch (this build of rewind has no replay engine)");

        var events = new DapEventSink(context);
        context.Session = hasTrace
            ? factory.OpenTrace(arguments.Trace!, events, arguments.Pid)
            : factory.RecordAndOpen(new RecordOptions(
                arguments.Program!,
                arguments.Args ?? [],
                arguments.Cwd,
                arguments.Env ?? new Dictionary<string, string>()), events);
        context.StartAt = startAt;
        context.AfterResponse(() => context.Connection.SendEvent(EventNames.Initialized));
    }
}
