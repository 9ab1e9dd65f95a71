namespace Rewind.Replay;

/// <summary>What a hardware watchpoint reacts to.</summary>
public enum WatchKind
{
    Write,
    ReadWrite,
}

/// <summary>A hardware watchpoint: 1, 2, 4 or 8 bytes, aligned to its length (the debug registers' rule).</summary>
public readonly record struct Watchpoint(RemotePtr Address, int Length, WatchKind Kind)
{
    public bool Covers(RemotePtr address, int length) =>
        address.Value < Address.Value + (ulong)Length && Address.Value < address.Value + (ulong)length;
}
