namespace Rewind.Cli.Gdb;

/// <summary>
/// Z/z TYPE,ADDR,KIND: breakpoints (0 software, 1 hardware — both software breakpoints of the
/// timeline) and watchpoints (2 write, 3 read, 4 access), each split into aligned 1/2/4/8-byte
/// pieces for the four debug registers.
/// </summary>
internal sealed class BreakpointPackets(GdbSession session) : IPacketHandler
{
    private const int DebugRegisters = 4;

    public string? Handle(string packet)
    {
        if (packet[0] is not ('Z' or 'z'))
        {
            return null;
        }
        bool insert = packet[0] == 'Z';
        var fields = packet[1..].Split(';')[0].Split(',');
        if (fields.Length != 3 || fields[0].Length != 1)
        {
            throw new GdbProtocolException("expected TYPE,ADDR,KIND");
        }
        ulong address = GdbHex.ParseNumber(fields[1]);
        int kind = GdbHex.ParseInt(fields[2]);
        return fields[0][0] switch
        {
            '0' or '1' => insert ? Insert(address, fields[0][0] == '1') : Remove(address, fields[0][0] == '1'),
            '2' or '3' or '4' => insert ? Watch((GdbWatchType)(fields[0][0] - '0'), address, kind) : Unwatch((GdbWatchType)(fields[0][0] - '0'), address, kind),
            _ => Replies.Unsupported,
        };
    }

    private string Insert(ulong address, bool hardware)
    {
        if (session.Breakpoints.Add(address, hardware))
        {
            session.Timeline.AddBreakpoint(new RemotePtr(address));
        }
        return Replies.Ok;
    }

    private string Remove(ulong address, bool hardware)
    {
        if (session.Breakpoints.Remove(address, hardware, out _))
        {
            session.Timeline.RemoveBreakpoint(new RemotePtr(address));
        }
        return Replies.Ok;
    }

    private string Watch(GdbWatchType type, ulong address, int length)
    {
        if (length <= 0)
        {
            return Replies.Error(22);
        }
        var watch = GdbWatch.Of(type, address, length);
        var fresh = watch.Pieces.Where(p => !session.Timeline.Watchpoints.Contains(p)).Distinct().ToList();
        if (session.Timeline.Watchpoints.Count + fresh.Count > DebugRegisters)
        {
            // gdb then says it could not insert the watchpoint; it may fall back to single-stepping.
            return Replies.Error(28);
        }
        foreach (var piece in fresh)
        {
            session.Timeline.AddWatchpoint(piece);
        }
        session.Watches.Add(watch);
        return Replies.Ok;
    }

    private string Unwatch(GdbWatchType type, ulong address, int length)
    {
        var watch = session.Watches.FirstOrDefault(w => w.Type == type && w.Address == address && w.Length == length);
        if (watch == null)
        {
            return Replies.Ok;
        }
        session.Watches.Remove(watch);
        foreach (var piece in watch.Pieces.Where(p => !session.Watches.Any(w => w.Pieces.Contains(p))))
        {
            session.Timeline.RemoveWatchpoint(piece);
        }
        return Replies.Ok;
    }
}
