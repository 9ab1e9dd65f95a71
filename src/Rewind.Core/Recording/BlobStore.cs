using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// Copies files the program maps into the trace, each content once (content-addressed), so
/// replay needs nothing from the recording machine. A file is re-read only when its identity
/// (device, inode, size, mtime) changes: ld.so maps each library several times.
/// Blob chunk payload: SHA-256, offset of this piece, bytes (pieces of at most 64 MiB).
/// Thread-safe: checkpoints persisted in the background add the files their regions map.
/// The pieces are compressed and written on threads of their own (<see cref="TraceWriter.QueueChunk"/>):
/// the program goes on meanwhile, and node's start-up maps 99 MB of executable. With a
/// <paramref name="cache"/>, a whole file stored by an earlier recording is copied from it, and
/// one stored here is kept there for the next (<see cref="FileCache"/>).
/// </summary>
internal sealed class BlobStore(TraceWriter writer, FileCache? cache = null)
{
    private const int PieceBytes = 64 << 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<FileIdentity, BlobId> _byIdentity = [];
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

    /// <summary>
    /// Stores the file open at <paramref name="openPath"/> (a /proc path works) and names it
    /// <paramref name="displayPath"/> among the program's files, or not, where that is null (a
    /// debug file kept beside one); with <paramref name="reread"/> it is read even when a file of
    /// its identity was stored before (one that may change without a new modification time).
    /// </summary>
    public (BlobId Id, long Size) Add(string openPath, string? displayPath, bool reread = false)
    {
        lock (_lock)
        {
            return AddLocked(openPath, displayPath, reread);
        }
    }

    private (BlobId Id, long Size) AddLocked(string openPath, string? displayPath, bool reread)
    {
        var identity = Identity(openPath);
        if (identity is { } key && !reread && _byIdentity.TryGetValue(key, out var known))
        {
            Remember(displayPath, known, key.Size);
            return (known, key.Size);
        }
        if (identity is { } k && FromCacheLocked(openPath, k) is { } cached)
        {
            _byIdentity[k] = cached;
            Remember(displayPath, cached, k.Size);
            return (cached, k.Size);
        }
        using var file = File.OpenHandle(openPath);
        long size = RandomAccess.GetLength(file);
        var id = StoreWindowLocked(file, 0, size, identity);
        if (identity is { } i)
        {
            _byIdentity[i] = id;
        }
        Remember(displayPath, id, size);
        return (id, size);
    }

    /// <summary>
    /// The blob of the file open at <paramref name="openPath"/> (of <paramref name="identity"/>)
    /// as an earlier recording kept it in the cache, if its content is still that, its chunks
    /// queued (once in a trace); null where none is kept whole.
    /// </summary>
    private BlobId? FromCacheLocked(string openPath, FileIdentity identity)
    {
        if (cache is null || identity.Size < FileCache.MinBytes || cache.Find(identity) is not { } kept || !cache.StillHolds(openPath, identity, kept))
        {
            return null;
        }
        if (!_stored.Contains(kept.Id))
        {
            // Open till the chunks are in: a damaged one is stored from the file again.
            var file = File.OpenHandle(openPath);
            if (!cache.Copy(kept, writer, piece => PieceAgain(file, kept.Id, identity.Size, piece), file.Dispose))
            {
                file.Dispose();
                return null;
            }
            _stored.Add(kept.Id);
            StoredBytes += identity.Size;
        }
        return kept.Id;
    }

    /// <summary>
    /// The payload of piece <paramref name="piece"/> of blob <paramref name="id"/>, the
    /// <paramref name="size"/> bytes of <paramref name="file"/>, read again (its kept chunk was
    /// found damaged); only where the file's content is still the blob's, else the trace cannot
    /// hold what the program mapped, and this throws.
    /// </summary>
    private static byte[] PieceAgain(SafeFileHandle file, BlobId id, long size, int piece)
    {
        var content = new byte[size];
        ReadAt(file, content, 0);
        if (BlobId.Of(content) != id)
        {
            throw new IOException($"a file the program mapped changed while it was stored ({size} bytes, blob {id.Hex})");
        }
        long offset = (long)piece * PieceBytes;
        var w = new ByteWriter();
        PieceHead(w, id, offset);
        w.Raw(content.AsSpan((int)offset, (int)Math.Min(PieceBytes, size - offset)));
        return w.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Stores the <paramref name="size"/> bytes of the file open at <paramref name="openPath"/> from
    /// <paramref name="offset"/> on (those past its end read as zeros): the part of a file under a
    /// mapping replay keeps a stand-in of.
    /// </summary>
    public BlobId Add(string openPath, long offset, long size)
    {
        using var file = File.OpenHandle(openPath);
        lock (_lock)
        {
            return StoreWindowLocked(file, offset, size);
        }
    }

    /// <summary>
    /// Stores <paramref name="size"/> bytes of <paramref name="file"/> from <paramref name="start"/>:
    /// whole, or past <see cref="TraceFile.LargeBlob"/> sparsely. A whole file of identity
    /// <paramref name="keep"/> goes to the cache too.
    /// </summary>
    private BlobId StoreWindowLocked(SafeFileHandle file, long start, long size, FileIdentity? keep = null)
    {
        if (size > TraceFile.LargeBlob)
        {
            return StoreSparseLocked(file, start, size);
        }
        // Pooled: a new array for each file had the runtime touch fresh pages for most of its bytes.
        byte[] rented = ArrayPool<byte>.Shared.Rent((int)size);
        try
        {
            return StoreLocked(ReadAt(file, rented.AsSpan(0, (int)size), start), keep);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Stores a large window of a file (<paramref name="size"/> bytes from <paramref name="start"/>)
    /// piece by piece, reading only its data: each data extent (lseek(2) SEEK_DATA to SEEK_HOLE) in
    /// pieces of at most 64 MiB, those of zeros left out, all read back as zeros
    /// (<see cref="TraceFile.ReadBlobRange"/>). A JIT's memfd of 24 GiB holding 2 MiB of code then
    /// costs 2 MiB to read and hash. Its id hashes the size and each stored piece with its offset in
    /// the window, not the whole content, which would have to be read to the last hole.
    /// </summary>
    private BlobId StoreSparseLocked(SafeFileHandle file, long start, long size)
    {
        var stored = new List<(long Offset, int Length)>();
        var buffer = new byte[PieceBytes];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(size));
        foreach (var (offset, length) in DataPieces(file, start, start + size))
        {
            var piece = ReadAt(file, buffer.AsSpan(0, length), offset);
            if (piece.ContainsAnyExcept((byte)0))
            {
                stored.Add((offset, length));
                hash.AppendData(BitConverter.GetBytes(offset - start));
                hash.AppendData(piece);
            }
        }
        var id = BlobId.FromBytes(hash.GetHashAndReset());
        if (_stored.Add(id))
        {
            var w = new ByteWriter();
            foreach (var (offset, length) in stored)
            {
                QueuePiece(w, id, size, offset - start, ReadAt(file, buffer.AsSpan(0, length), offset));
                StoredBytes += length;
            }
            if (stored.Count == 0)
            {
                // A file of holes alone still gets a chunk, an empty piece, so that the trace names
                // the blob and its size, as it does an empty file's (StoreLocked).
                QueuePiece(w, id, size, 0, []);
            }
        }
        return id;
    }

    /// <summary>The file's data extents in [<paramref name="start"/>, <paramref name="stop"/>), cut into pieces of at most <see cref="PieceBytes"/>; a file system that reports no holes gives one extent.</summary>
    private static IEnumerable<(long Offset, int Length)> DataPieces(SafeFileHandle file, long start, long stop)
    {
        long offset = start;
        while (offset < stop && Linux.Interop.lseek(file, offset, Linux.Interop.SEEK_DATA) is var data and >= 0 && data < stop)
        {
            // ENXIO: no data past offset.
            long end = Math.Min(stop, Linux.Interop.lseek(file, data, Linux.Interop.SEEK_HOLE) is var hole and > 0 ? hole : stop);
            for (long piece = data; piece < end; piece += PieceBytes)
            {
                yield return (piece, (int)Math.Min(PieceBytes, end - piece));
            }
            offset = end;
        }
    }

    /// <summary>Fills <paramref name="into"/> from <paramref name="offset"/> of the file; what lies past its end reads as zeros.</summary>
    private static Span<byte> ReadAt(SafeFileHandle file, Span<byte> into, long offset)
    {
        int n = 0;
        while (n < into.Length && RandomAccess.Read(file, into[n..], offset + n) is var read and > 0)
        {
            n += read;
        }
        into[n..].Clear();
        return into;
    }

    /// <summary>Queues one Blob chunk: the blob's id, the piece's offset, its bytes; the tag is the blob's whole size. <paramref name="entry"/> keeps it in the cache too.</summary>
    private void QueuePiece(ByteWriter w, BlobId id, long size, long offset, ReadOnlySpan<byte> bytes, FileCache.Entry? entry = null)
    {
        w.Clear();
        PieceHead(w, id, offset);
        writer.QueueChunk(ChunkKind.Blob, (ulong)size, w.WrittenSpan, bytes, entry is null ? null : entry.Add);
    }

    /// <summary>What a blob chunk's payload starts with: the blob's id and the piece's offset in it.</summary>
    private static void PieceHead(ByteWriter w, BlobId id, long offset)
    {
        w.Raw(id.ToBytes());
        w.VarU((ulong)offset);
    }

    /// <param name="keep">the identity of the file <paramref name="content"/> is, to keep in the cache.</param>
    private BlobId StoreLocked(ReadOnlySpan<byte> content, FileIdentity? keep = null)
    {
        var id = BlobId.Of(content);
        if (_stored.Add(id))
        {
            int pieces = Math.Max(1, (content.Length + PieceBytes - 1) / PieceBytes);
            var entry = keep is { } k ? cache?.Begin(k, id, pieces) : null;
            var w = new ByteWriter();
            for (int offset = 0; offset == 0 || offset < content.Length; offset += PieceBytes)
            {
                QueuePiece(w, id, content.Length, offset, content.Slice(offset, Math.Min(PieceBytes, content.Length - offset)), entry);
            }
            StoredBytes += content.Length;
        }
        return id;
    }

    private void Remember(string? path, BlobId id, long size)
    {
        if (path != null)
        {
            _files.TryAdd(path, new FileSummary(path, id.Hex, size));
        }
    }

    private static FileIdentity? Identity(string path) => Linux.Interop.Stat(path)?.Identity;
}
