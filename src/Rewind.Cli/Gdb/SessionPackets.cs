namespace Rewind.Cli.Gdb;

/// <summary>Ending the session: k (no reply), D and vKill (OK). The replay processes go with the server.</summary>
internal sealed class SessionPackets(GdbSession session) : IPacketHandler
{
    public string? Handle(string packet)
    {
        if (packet == "k")
        {
            session.Ended = true;
            return Replies.None;
        }
        if (packet[0] == 'D' || packet.StartsWith("vKill", StringComparison.Ordinal))
        {
            session.Ended = true;
            return Replies.Ok;
        }
        return null;
    }
}
