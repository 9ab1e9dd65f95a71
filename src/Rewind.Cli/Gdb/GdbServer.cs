using Rewind.Timeline;

namespace Rewind.Cli.Gdb;

/// <summary>
/// Serves one gdb over a byte stream until it detaches, kills or disconnects. Runs entirely on
/// the calling thread, which must own the timeline (ptrace): one packet at a time, each
/// answered before the next is read. A malformed or failing packet gets an error reply; only
/// the connection's end ends the server.
/// </summary>
internal sealed class GdbServer
{
    private readonly GdbSession _session;
    private readonly IPacketHandler[] _handlers;
    private readonly Action<string>? _log;

    public GdbServer(ReplayTimeline timeline, Stream input, Stream output, Action<string>? log = null)
    {
        var process = RecordedProcess.Of(timeline);
        var description = TargetDescription.Amd64Linux(RegisterFile.HasAvx(timeline.ExtendedState.Length));
        _session = new GdbSession(timeline, process, description, new PacketConnection(input, output));
        _log = log;
        _handlers =
        [
            new ResumePackets(_session),
            new StatePackets(_session),
            new BreakpointPackets(_session),
            new QueryPackets(_session),
            new HostIoPackets(_session),
            new MonitorCommands(_session),
            new SessionPackets(_session),
        ];
    }

    public void Serve()
    {
        var connection = _session.Connection;
        try
        {
            while (!_session.Ended && connection.Read() is { } packet)
            {
                if (packet == PacketConnection.Interrupt)
                {
                    // Nothing runs between packets: there is nothing to interrupt.
                    continue;
                }
                _log?.Invoke($"<- {Shorten(packet)}");
                string reply = Answer(packet);
                if (!ReferenceEquals(reply, Replies.None))
                {
                    _log?.Invoke($"-> {Shorten(reply)}");
                    connection.Send(reply);
                }
            }
        }
        catch (IOException)
        {
            // The client went away mid-write: the session is over either way.
        }
    }

    /// <summary>The reply to one packet: its handler's, empty for unknown packets, an error for bad ones.</summary>
    internal string Answer(string packet)
    {
        if (packet.Length == 0)
        {
            return Replies.Unsupported;
        }
        try
        {
            foreach (var handler in _handlers)
            {
                if (handler.Handle(packet) is { } reply)
                {
                    return reply;
                }
            }
            return Replies.Unsupported;
        }
        catch (GdbProtocolException e)
        {
            _log?.Invoke($"bad packet: {e.Message}");
            return Replies.Error(1);
        }
        catch (RewindException e)
        {
            _log?.Invoke(e.Message);
            return Replies.Error(1);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours must not take the debugging session down with it.
            _log?.Invoke($"internal error on '{Shorten(packet)}': {e}");
            return Replies.Error(1);
        }
    }

    private static string Shorten(string packet) => packet.Length > 120 ? packet[..120] + "…" : packet;
}
