namespace Rewind.Trace;

/// <summary>
/// An mmap of a file the program can write through (MAP_SHARED on a descriptor open for writing:
/// a JIT's double mapping of a memfd, a database file). Every mapping of one file shares its
/// pages, so replay maps one stand-in file for all of them: <paramref name="Device"/> and
/// <paramref name="Inode"/> say which file, <paramref name="FileSize"/> its size then, and
/// <paramref name="Content"/> holds the file's bytes under the mapping when it was made (from the
/// mmap's offset, up to the mapping's length or the end of the file).
/// </summary>
public sealed record SharedFileMapping(string Path, ulong Device, ulong Inode, ulong FileSize, BlobId Content);
