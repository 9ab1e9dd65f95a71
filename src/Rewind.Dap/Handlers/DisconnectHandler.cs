using System.Text.Json.Serialization.Metadata;
using Rewind.Dap.Protocol;

namespace Rewind.Dap.Handlers;

/// <summary>
/// <c>disconnect</c>: closes the trace and ends the conversation. A replay has no live
/// debuggee to keep or kill, so <c>terminateDebuggee</c> and <c>suspendDebuggee</c> change nothing.
/// </summary>
public sealed class DisconnectHandler : RequestHandler<DisconnectArguments>
{
    public override string Command => "disconnect";

    protected override JsonTypeInfo<DisconnectArguments> ArgumentsType => DapJsonContext.Default.DisconnectArguments;

    protected override void Handle(DisconnectArguments arguments, DapContext context)
    {
        var session = context.Session;
        context.Session = null;
        context.ShutdownRequested = true;
        session?.Dispose();
    }
}
