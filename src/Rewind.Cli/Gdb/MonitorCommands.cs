using System.Globalization;
using Rewind.Timeline;

namespace Rewind.Cli.Gdb;

/// <summary>
/// qRcmd: gdb's `monitor` commands. Their text goes back as console output. A jump in time
/// (goto-event, goto-percent) happens behind gdb's back: gdb keeps its cached registers and
/// frames until told, hence the hint to flush them.
/// </summary>
internal sealed class MonitorCommands(GdbSession session) : IPacketHandler
{
    private readonly ClrMonitor _clr = new(session);

    private const string Help = """
        rewind monitor commands:
          monitor when                 the current event, of how many, and the percentage
          monitor goto-event N         go to the boundary just before event N
          monitor goto-percent P       go to P percent (0-100) of the trace
          monitor help                 this text
        """ + "\n" + ClrMonitor.Help + """
        After a goto, run `maint flush register-cache` (or `flushregs`) so gdb rereads the state,
        and `sharedlibrary` so it rereads which libraries are loaded there.

        """;

    public string? Handle(string packet)
    {
        if (!packet.StartsWith("qRcmd,", StringComparison.Ordinal))
        {
            return null;
        }
        var words = GdbHex.DecodeText(packet.AsSpan(6)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string output;
        try
        {
            output = Run(words);
        }
        catch (RewindException e)
        {
            output = $"rewind: {e.Message}\n";
        }
        session.Print(output);
        return Replies.Ok;
    }

    private string Run(string[] words) => words switch
    {
        [] or ["help"] => Help,
        ["when"] => When(),
        ["goto-event", var n] when long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out long e) => Moved(session.Timeline.RunToEvent(e)),
        ["goto-percent", var p] when double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double pc) && pc is >= 0 and <= 100 =>
            Moved(session.Timeline.RunToPercent(pc)),
        ["clrstack"] => _clr.Stack(null, variables: false),
        ["clrstack", var t] when ClrMonitor.ParseThread(t) is { } tid => _clr.Stack(tid, variables: false),
        ["clrstack", "-a"] => _clr.Stack(null, variables: true),
        ["clrstack", "-a", var t] when ClrMonitor.ParseThread(t) is { } tid => _clr.Stack(tid, variables: true),
        ["clrexception"] => _clr.Exception(null),
        ["clrexception", var t] when ClrMonitor.ParseThread(t) is { } tid => _clr.Exception(tid),
        ["dumpobj", var a] when ClrMonitor.ParseAddress(a) is { } address => _clr.DumpObject(address),
        ["statics", var type] => _clr.Statics(type),
        ["clrstack", ..] => "usage: monitor clrstack [-a] [TID]\n",
        ["clrexception", ..] => "usage: monitor clrexception [TID]\n",
        ["dumpobj", ..] => "usage: monitor dumpobj ADDR (hexadecimal)\n",
        ["statics", ..] => "usage: monitor statics TYPE (Namespace.Type)\n",
        ["goto-event" or "goto-percent", ..] => $"usage: monitor {words[0]} {(words[0] == "goto-event" ? "N (an event number)" : "P (0-100)")}\n",
        _ => $"unknown monitor command '{string.Join(' ', words)}'\n{Help}",
    };

    private string When()
    {
        var timeline = session.Timeline;
        long total = timeline.TotalEvents;
        double percent = total == 0 ? 100 : 100.0 * timeline.Now.Event / total;
        return $"event {timeline.Now.Event:N0} of {total:N0} ({percent:0.0}%){(timeline.Now.IsBoundary ? "" : $", at {timeline.Now.Pc} in the interval after it")}\n";
    }

    private string Moved(TimelineStop stop) =>
        stop.Reason == StopReason.EndOfTrace ? $"at the end of the trace (event {stop.Position.Event:N0}); `maint flush register-cache` and `sharedlibrary` to see it\n"
        : $"at event {stop.Position.Event:N0}; `maint flush register-cache` and `sharedlibrary` to see it\n";
}
