namespace Rewind.Trace;

/// <summary>
/// An mmap replay makes from a stand-in of the file, one per file, which every such mapping of it
/// maps: a mapping the program can write through (a JIT's double mapping of a memfd, a database
/// file), a private one through a descriptor open for writing, and any later mapping of such a
/// file. <paramref name="Device"/> and <paramref name="Inode"/> say which file,
/// <paramref name="FileSize"/> its size then, and <paramref name="Content"/> holds the file's bytes
/// under the mapping when it was made (from the mmap's offset, up to the mapping's length or the
/// end of the file). <paramref name="Private"/> (MAP_PRIVATE) maps the stand-in privately: the
/// pages the program writes are its own, the others show the file as it changes, and those past
/// its end raise SIGBUS until it grows.
/// </summary>
public sealed record SharedFileMapping(string Path, ulong Device, ulong Inode, ulong FileSize, BlobId Content, bool Private = false);
