using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>
/// A mapping of the checkpointed process; <see cref="Pages"/> hold only what differs from its base.
/// When <see cref="InheritsBase"/> (only in a stored incremental checkpoint), a page not stored is
/// the base checkpoint's page at that address. <see cref="SharedFile"/> names the file of a
/// shared file mapping (device, inode, the offset the region maps): its pages are that file's,
/// which replay keeps in a stand-in shared by every mapping of it (docs/decisions.md). A private
/// mapping that names one too is a private view of the stand-in (<see cref="IsPrivateView"/>).
/// <see cref="Sealed"/>: the program sealed it (mseal(2)), and a restore seals it again, so that
/// its later mprotect and munmap, which replay runs again, fail as recorded.
/// </summary>
public sealed record SavedRegion(RemotePtr Start, RemotePtr End, Protection Protection, bool Shared, string Name, FileMapping? File, IReadOnlyList<SavedPage> Pages,
    bool InheritsBase = false, (ulong Device, ulong Inode, ulong Offset)? SharedFile = null, bool Sealed = false)
{
    public ulong Length => End - Start;

    /// <summary>
    /// A private mapping replay makes from its file's stand-in: <see cref="File"/> gives the file's
    /// size and, in its blob, the file's bytes under the region (from its offset, up to its length
    /// or the file's end); <see cref="Pages"/> are those the process wrote, whatever their bytes.
    /// </summary>
    public bool IsPrivateView => !Shared && SharedFile != null;
}
