namespace Rewind.Checkpoints;

/// <summary>A run of whole pages at <see cref="Address"/>; the data may be a slice of a decoded chunk.</summary>
public sealed record SavedPage(RemotePtr Address, ReadOnlyMemory<byte> Data)
{
    public RemotePtr End => Address + (ulong)Data.Length;
}
