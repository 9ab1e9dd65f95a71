using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// Copies files the program maps into the trace, each content once (content-addressed), so
/// replay needs nothing from the recording machine. A file is re-read only when its identity
/// (device, inode, size, mtime) changes: ld.so maps each library several times.
/// Blob chunk payload: SHA-256, offset of this piece, bytes (pieces of at most 64 MiB).
/// Thread-safe: checkpoints persisted in the background add the files their regions map.
/// The pieces are compressed and written on a pool thread (<see cref="TraceWriter.QueueChunk"/>):
/// the program goes on meanwhile, and node's start-up maps 99 MB of executable.
/// </summary>
internal sealed class BlobStore(TraceWriter writer)
{
    private const int PieceBytes = 64 << 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<(ulong Dev, ulong Ino, long Size, long Mtime), BlobId> _byIdentity = [];
    private readonly HashSet<BlobId> _stored = [];
    private readonly Dictionary<string, FileSummary> _files = [];

    public IReadOnlyCollection<FileSummary> Files
    {
        get
        {
            lock (_lock)
            {
                return _files.Values.ToList();
            }
        }
    }

    public long StoredBytes { get; private set; }

    /// <summary>Stores the file open at <paramref name="openPath"/> (a /proc path works) and names it <paramref name="displayPath"/>.</summary>
    public (BlobId Id, long Size) Add(string openPath, string displayPath)
    {
        lock (_lock)
        {
            return AddLocked(openPath, displayPath);
        }
    }

    private (BlobId Id, long Size) AddLocked(string openPath, string displayPath)
    {
        var identity = Identity(openPath);
        if (identity is { } key && _byIdentity.TryGetValue(key, out var known))
        {
            Remember(displayPath, known, key.Size);
            return (known, key.Size);
        }
        byte[] content = File.ReadAllBytes(openPath);
        var id = StoreLocked(content);
        if (identity is { } k)
        {
            _byIdentity[k] = id;
        }
        Remember(displayPath, id, content.Length);
        return (id, content.Length);
    }

    /// <summary>Stores bytes that are not a whole file (the part of a file under a shared mapping).</summary>
    public BlobId Add(byte[] content)
    {
        lock (_lock)
        {
            return StoreLocked(content);
        }
    }

    private BlobId StoreLocked(byte[] content)
    {
        var id = BlobId.Of(content);
        if (_stored.Add(id))
        {
            var w = new ByteWriter();
            for (int offset = 0; offset == 0 || offset < content.Length; offset += PieceBytes)
            {
                w.Clear();
                w.Raw(id.ToBytes());
                w.VarU((ulong)offset);
                w.Raw(content.AsSpan(offset, Math.Min(PieceBytes, content.Length - offset)));
                writer.QueueChunk(ChunkKind.Blob, (ulong)content.Length, w.WrittenSpan);
            }
            StoredBytes += content.Length;
        }
        return id;
    }

    private void Remember(string path, BlobId id, long size) => _files.TryAdd(path, new FileSummary(path, id.Hex, size));

    private static (ulong Dev, ulong Ino, long Size, long Mtime)? Identity(string path) => Linux.Interop.Stat(path)?.Identity;
}
