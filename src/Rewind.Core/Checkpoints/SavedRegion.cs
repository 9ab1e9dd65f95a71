using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>
/// A mapping of the checkpointed process; <see cref="Pages"/> hold only what differs from its base.
/// When <see cref="InheritsBase"/> (only in a stored incremental checkpoint), a page not stored is
/// the base checkpoint's page at that address.
/// </summary>
public sealed record SavedRegion(RemotePtr Start, RemotePtr End, Protection Protection, bool Shared, string Name, FileMapping? File, IReadOnlyList<SavedPage> Pages, bool InheritsBase = false)
{
    public ulong Length => End - Start;
}
