namespace Rewind.Trace;

/// <summary>
/// What a syscall changed of a file the program maps: a write, a truncate, a hole punched. The
/// file (<paramref name="Device"/>, <paramref name="Inode"/>) is <paramref name="Size"/> bytes long
/// after it. Replay emulates the call and makes the same change where the mappings show it: in
/// the file's stand-in (<see cref="SharedFileMapping"/>), <paramref name="Ranges"/>, its bytes where
/// the call wrote them, read back from the file (none when replay keeps no stand-in of it); in the
/// private copies of it replay maps, <paramref name="Copies"/>, their bytes there as each recorded
/// process then saw them through its mappings (its own where it had written the page).
/// </summary>
public sealed record FileChange(ulong Device, ulong Inode, ulong Size, IReadOnlyList<FileBytes> Ranges, IReadOnlyList<CopyWrite> Copies);
