using System.Collections.Concurrent;
using Rewind.Timeline;

namespace Rewind.Cli.Gdb;

/// <summary>
/// Serves one gdb over a byte stream until it detaches, kills or disconnects. Packets are
/// answered one at a time on the calling thread, which must own the timeline (ptrace); a
/// second thread reads the connection, so that gdb's Ctrl-C reaches a motion under way. A
/// malformed or failing packet gets an error reply; only the connection's end ends the server.
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
        using var packets = new BlockingCollection<string?>();
        var reader = new Thread(() => ReadPackets(packets)) { Name = "gdb connection", IsBackground = true };
        reader.Start();
        try
        {
            while (!_session.Ended && packets.Take() is { } packet)
            {
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

    /// <summary>
    /// Hands packets to the serving thread until the client goes (null); a Ctrl-C is acted on at
    /// once, and needs no answer of its own: the interrupted motion's stop reply is it.
    /// </summary>
    private void ReadPackets(BlockingCollection<string?> packets)
    {
        try
        {
            while (_session.Connection.Read() is { } packet)
            {
                if (packet == PacketConnection.Interrupt)
                {
                    _session.Interrupt();
                }
                else
                {
                    packets.Add(packet);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The client went away, or the server ended and closed the stream under the read.
        }
        try
        {
            packets.Add(null);
        }
        catch (ObjectDisposedException)
        {
            // The server ended first.
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
