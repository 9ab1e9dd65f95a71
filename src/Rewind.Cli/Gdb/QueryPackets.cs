using System.Text;

namespace Rewind.Cli.Gdb;

/// <summary>The general queries and settings (q…, Q…), threads (H, T, qC, qfThreadInfo, qXfer:threads) and '?'.</summary>
internal sealed class QueryPackets(GdbSession session) : IPacketHandler
{
    /// <summary>The packet size gdb is told; memory reads and file reads fill it.</summary>
    public const int PacketSize = 0x4000;

    private static readonly string Features = string.Join(';',
        $"PacketSize={PacketSize:x}", "QStartNoAckMode+", "qXfer:features:read+", "qXfer:auxv:read+", "qXfer:exec-file:read+", "qXfer:libraries-svr4:read+", "qXfer:memory-map:read+", "qXfer:threads:read+",
        "ReverseContinue+", "ReverseStep+", "swbreak+", "hwbreak+", "vContSupported+", "multiprocess+", "QThreadEvents+");

    public string? Handle(string packet)
    {
        switch (packet)
        {
            case "?":
                return session.StopReplyNow();
            case "QStartNoAckMode":
                // This reply still goes with acks; everything after it without.
                session.Connection.Send("OK");
                session.Connection.NoAck = true;
                return Replies.None;
            case "qC":
                return "QC" + session.ThreadId;
            case "qfThreadInfo":
                return "m" + string.Join(',', session.Threads.Select(t => session.IdOf(t.Tid)));
            case "qsThreadInfo":
                return "l";
            case "QThreadEvents:1" or "QThreadEvents:0":
                session.ThreadEvents = packet[^1] == '1';
                return Replies.Ok;
            case "qAttached" or "qSymbol::":
                return packet == "qAttached" ? "1" : "OK";
        }
        if (packet.StartsWith("qSupported", StringComparison.Ordinal))
        {
            session.GdbAnnouncesExits = packet.Contains("QThreadOptions+", StringComparison.Ordinal);
            return Features;
        }
        if (packet.StartsWith("qAttached:", StringComparison.Ordinal))
        {
            return "1";
        }
        if (packet.StartsWith("qThreadExtraInfo,", StringComparison.Ordinal))
        {
            var thread = session.Parse(packet["qThreadExtraInfo,".Length..]) ?? session.Timeline.Thread;
            return GdbHex.EncodeText(session.Threads.FirstOrDefault(t => t.Tid == thread)?.Name ?? "");
        }
        if (packet.StartsWith("qXfer:", StringComparison.Ordinal))
        {
            return Transfer(packet);
        }
        if (packet[0] == 'H' && packet.Length > 1)
        {
            // Hg: the thread whose registers g and p read; Hc: the thread the next step moves (s, bs),
            // where a continue moves them all as recorded.
            var thread = session.Parse(packet[2..]);
            if (thread is { } t && !session.IsAlive(t))
            {
                return Replies.Error(1);
            }
            if (packet[1] == 'g')
            {
                session.Selected = thread;
            }
            else if (packet[1] == 'c')
            {
                session.Stepped = thread;
            }
            return "OK";
        }
        if (packet[0] == 'T')
        {
            return session.Parse(packet[1..]) is { } t && !session.IsAlive(t) ? Replies.Error(1) : "OK";
        }
        return null;
    }

    /// <summary>qXfer:threads: each thread alive with its name, which gdb shows in info threads.</summary>
    private byte[] ThreadsXml()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        foreach (var t in session.Threads)
        {
            xml.Append($"<thread id=\"{session.IdOf(t.Tid)}\" name=\"{System.Security.SecurityElement.Escape(t.Name)}\"/>\n");
        }
        return Encoding.UTF8.GetBytes(xml.Append("</threads>\n").ToString());
    }

    /// <summary>
    /// gdb's memory map. gdb reads it once, when it connects, and then refuses any address outside
    /// it; but a replay moves in time and its mappings change (the heap grows, libraries load). So
    /// the map is the whole user address space plus the vsyscall page, as RAM: a read of memory not
    /// mapped at the present still fails, packet by packet.
    /// </summary>
    private static readonly byte[] MemoryMapXml = Encoding.UTF8.GetBytes(
        "<memory-map><memory type=\"ram\" start=\"0x0\" length=\"0x800000000000\"/>"
        + "<memory type=\"ram\" start=\"0xffffffffff600000\" length=\"0x1000\"/></memory-map>");

    /// <summary>qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH — a window of an object; 'l' marks its last part.</summary>
    private string Transfer(string packet)
    {
        var parts = packet.Split(':');
        if (parts.Length != 5 || parts[2] != "read")
        {
            return Replies.Unsupported;
        }
        byte[]? content = (parts[1], parts[3]) switch
        {
            ("features", "target.xml") => Encoding.UTF8.GetBytes(session.Description.Xml),
            ("auxv", _) => session.Process.Auxv,
            ("exec-file", _) => Encoding.UTF8.GetBytes(session.Process.Executable),
            ("libraries-svr4", _) => LinkMap.Read(session.Timeline.Memory, session.Process.Auxv),
            ("memory-map", _) => MemoryMapXml,
            ("threads", _) => ThreadsXml(),
            _ => null,
        };
        if (content == null)
        {
            return parts[1] is "features" ? Replies.Error(0) : Replies.Unsupported;
        }
        var (offset, length) = GdbHex.ParseRange(parts[4]);
        if (offset >= (ulong)content.Length)
        {
            return "l";
        }
        int take = (int)Math.Min((ulong)Math.Min(length, PacketSize - 16), (ulong)content.Length - offset);
        bool last = offset + (ulong)take >= (ulong)content.Length;
        return (last ? "l" : "m") + PacketConnection.Binary(content.AsSpan((int)offset, take));
    }
}
