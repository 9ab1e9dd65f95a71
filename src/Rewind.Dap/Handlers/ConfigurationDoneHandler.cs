using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;

namespace Rewind.Dap.Handlers;

/// <summary><c>configurationDone</c>: breakpoints are set; go to the start position (reported by a stop).</summary>
public sealed class ConfigurationDoneHandler : RequestHandler<ConfigurationDoneArguments>
{
    public override string Command => "configurationDone";

    protected override JsonTypeInfo<ConfigurationDoneArguments> ArgumentsType => DapJsonContext.Default.ConfigurationDoneArguments;

    protected override void Handle(ConfigurationDoneArguments arguments, DapContext context)
    {
        var session = context.RequireSession();
        context.AfterResponse(() => session.Start(context.StartAt));
    }
}
