using Rewind.Replay;
using Rewind.Timeline;

namespace Rewind.Cli.Gdb;

/// <summary>What a Z2/Z3/Z4 packet asks to watch.</summary>
internal enum GdbWatchType
{
    Write = 2,
    Read = 3,
    Access = 4,
}

/// <summary>
/// A watchpoint gdb inserted, and the aligned debug-register pieces that cover it. x86 has no
/// read-only watchpoint: a read watch is a read/write one, and gdb tells reads from writes by
/// whether the value changed.
/// </summary>
internal sealed record GdbWatch(GdbWatchType Type, ulong Address, int Length, IReadOnlyList<Watchpoint> Pieces)
{
    public static GdbWatch Of(GdbWatchType type, ulong address, int length)
    {
        var kind = type == GdbWatchType.Write ? WatchKind.Write : WatchKind.ReadWrite;
        return new GdbWatch(type, address, length, ReplayTimeline.WatchPieces(new RemotePtr(address), length, kind));
    }

    public bool Covers(ulong address) => Pieces.Any(p => p.Covers(new RemotePtr(address), 1));

    /// <summary>The stop reply's name for a hit of this watch.</summary>
    public string StopKey => Type switch
    {
        GdbWatchType.Read => "rwatch",
        GdbWatchType.Access => "awatch",
        _ => "watch",
    };
}
