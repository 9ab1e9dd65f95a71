namespace Rewind;

/// <summary>An address in a tracee's address space; never dereferenced in ours.</summary>
public readonly record struct RemotePtr(ulong Value) : IComparable<RemotePtr>
{
    public static RemotePtr Null => default;

    public bool IsNull => Value == 0;

    public static RemotePtr operator +(RemotePtr p, ulong offset) => new(p.Value + offset);

    public static RemotePtr operator -(RemotePtr p, ulong offset) => new(p.Value - offset);

    public static ulong operator -(RemotePtr a, RemotePtr b) => a.Value - b.Value;

    public static bool operator <(RemotePtr a, RemotePtr b) => a.Value < b.Value;

    public static bool operator >(RemotePtr a, RemotePtr b) => a.Value > b.Value;

    public static bool operator <=(RemotePtr a, RemotePtr b) => a.Value <= b.Value;

    public static bool operator >=(RemotePtr a, RemotePtr b) => a.Value >= b.Value;

    public int CompareTo(RemotePtr other) => Value.CompareTo(other.Value);

    public override string ToString() => $"0x{Value:x}";
}
