using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// The files recordings on this machine stored, kept as the Blob chunks they became
/// (docs/decisions.md, "Stored files are kept across recordings"). An entry is found by the
/// identity of its file (device, inode, size, modification and change times). Times alone vouch
/// for its content only where every write stamps them: a write through a shared mapping stamps
/// them at a page's first write fault after the page was written back, and on tmpfs only at its
/// first. So they do where the file system writes pages back (ext4, XFS, btrfs, f2fs) and the
/// file had been still, when its content was read, for longer than a page may stay dirty
/// (<see cref="WritebackSettle"/>); any other entry is used only if the file's content still has
/// the SHA-256 its blob is named by. It then goes into a trace as those chunks, neither copied
/// nor compressed again (a JVM maps 173 MB of files at each start). An entry is written by the
/// thread that writes the trace's chunks, as it writes them, and renamed into place once whole.
/// A stale or foreign one is passed over (the file is then stored as it would be without a cache,
/// and kept again); a damaged chunk is found by its CRC as that thread copies it, off the
/// tracer, and stored again from the file, whose content must still be the blob's; the entry then
/// goes. Past <c>capacity</c> bytes, the entries used least recently go.
/// </summary>
internal sealed class FileCache(string directory, long capacity, TimeSpan? settle)
{
    /// <summary>
    /// Files smaller than this are not kept: reading them costs less than a lookup saves. A lookup
    /// is a few syscalls; reading a file on the tracer costs its pages and its hash, about 150 µs
    /// for 128 KiB (a JVM and the .NET runtime each map a dozen libraries of 64 KiB to 1 MiB).
    /// </summary>
    public const long MinBytes = 64 << 10;

    private const uint Magic = 0x43425752; // "RWBC"
    private const uint Version = 2;
    private const int IdBytes = 32;
    private const int PiecesAt = 48 + IdBytes, SettledAt = PiecesAt + 4, HeadBytes = SettledAt + 4;
    private static readonly TimeSpan StaleWrite = TimeSpan.FromHours(1);

    /// <summary>
    /// The cache of this user: the directory REWIND_CACHE names ("off": none), else
    /// $XDG_CACHE_HOME/rewind/files or ~/.cache/rewind/files, of at most 2 GiB; null where it cannot
    /// be used (it cannot be made, or another user owns it).
    /// </summary>
    public static FileCache? OfThisUser()
    {
        string? named = Environment.GetEnvironmentVariable("REWIND_CACHE");
        if (named == "off")
        {
            return null;
        }
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? directory = !string.IsNullOrEmpty(named) ? named
            : !string.IsNullOrEmpty(xdg) ? Path.Combine(xdg, "rewind", "files")
            : home.Length > 0 ? Path.Combine(home, ".cache", "rewind", "files")
            : null;
        return directory is null ? null : Open(directory, 2L << 30, WritebackSettle());
    }

    /// <summary>
    /// How long a file must have been still when its content was read for its times to vouch for
    /// that content later: twice the longest a dirty page waits to be written back, the age at
    /// which the kernel's flusher takes it (vm.dirty_expire_centisecs) and the flusher's period
    /// (vm.dirty_writeback_centisecs). A page dirty then had been dirty that long: it was clean
    /// again, and its next write stamps the times. Null where the flusher does not run by time
    /// (a period of 0) or this cannot be read: times then vouch for nothing.
    /// </summary>
    public static TimeSpan? WritebackSettle()
    {
        try
        {
            long expire = long.Parse(File.ReadAllText("/proc/sys/vm/dirty_expire_centisecs"), CultureInfo.InvariantCulture);
            long period = long.Parse(File.ReadAllText("/proc/sys/vm/dirty_writeback_centisecs"), CultureInfo.InvariantCulture);
            return period > 0 ? TimeSpan.FromMilliseconds(2 * (expire + period) * 10) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// The cache in <paramref name="directory"/>, made (private to this user) where missing; null
    /// where it cannot be, or another user owns it. <paramref name="settle"/>: see <see cref="WritebackSettle"/>.
    /// </summary>
    public static FileCache? Open(string directory, long capacity, TimeSpan? settle)
    {
        try
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Interop.Stat(directory) is { IsDirectory: true } status && status.Owner == Interop.geteuid() ? new FileCache(directory, capacity, settle) : null;
    }

    /// <summary>A kept file of <paramref name="identity"/>, its entry's head checked (not its content yet); null when there is none.</summary>
    public Kept? Find(FileIdentity identity)
    {
        string path = PathOf(identity);
        try
        {
            using var file = File.OpenHandle(path);
            Span<byte> head = stackalloc byte[HeadBytes];
            if (RandomAccess.Read(file, head, 0) != HeadBytes || BinaryPrimitives.ReadUInt32LittleEndian(head) != Magic
                || BinaryPrimitives.ReadUInt32LittleEndian(head[4..]) != Version || ReadIdentity(head[8..]) != identity)
            {
                return null;
            }
            int pieces = BinaryPrimitives.ReadInt32LittleEndian(head[PiecesAt..]);
            bool settled = BinaryPrimitives.ReadInt32LittleEndian(head[SettledAt..]) != 0;
            return pieces > 0 ? new Kept(path, BlobId.FromBytes(head.Slice(48, IdBytes)), pieces, settled) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Queues the chunks of <paramref name="kept"/> into <paramref name="writer"/>, once each is
    /// found to be a blob chunk that fits the entry, and marks it used; false, with nothing queued,
    /// where they are not. The writer's chunk thread checks their CRCs and copies them from the
    /// entry, which it keeps open till then, then calls <paramref name="release"/>. A chunk found
    /// damaged is written from <paramref name="remake"/> instead, and the entry goes.
    /// </summary>
    public bool Copy(Kept kept, TraceWriter writer, Func<int, byte[]> remake, Action release)
    {
        SafeFileHandle? file = null;
        try
        {
            file = File.OpenHandle(kept.Path);
            if (ChunksOf(file, kept.Pieces) is not { } chunks)
            {
                return false;
            }
            File.SetLastWriteTimeUtc(kept.Path, DateTime.UtcNow);
            writer.QueueCopied(file, chunks, piece =>
            {
                Drop(kept);
                return remake(piece);
            }, release);
            file = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            file?.Dispose();
        }
    }

    /// <summary>Removes <paramref name="kept"/>'s entry, found damaged; the next recording keeps the file again.</summary>
    private static void Drop(Kept kept)
    {
        try
        {
            File.Delete(kept.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// An entry for the blob <paramref name="id"/> of the file of <paramref name="identity"/>,
    /// which is being queued in <paramref name="pieces"/> chunks; null where it is not kept (too
    /// small, or it cannot be written).
    /// </summary>
    public Entry? Begin(FileIdentity identity, BlobId id, int pieces)
    {
        if (identity.Size < MinBytes)
        {
            return null;
        }
        string path = PathOf(identity);
        string partial = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        FileStream? stream = null;
        try
        {
            stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            Span<byte> head = stackalloc byte[HeadBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(head, Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(head[4..], Version);
            WriteIdentity(head[8..], identity);
            id.ToBytes().CopyTo(head[48..]);
            BinaryPrimitives.WriteInt32LittleEndian(head[PiecesAt..], pieces);
            BinaryPrimitives.WriteInt32LittleEndian(head[SettledAt..], IsSettled(identity) ? 1 : 0);
            stream.Write(head);
            return new Entry(this, stream, partial, path, pieces);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // What is left of it goes with the next trim.
            stream?.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Whether the file open at <paramref name="path"/>, of the <paramref name="identity"/>
    /// <paramref name="kept"/> was found by, still has the content kept: its times vouch for it
    /// where the entry is settled and the file system stamps every write, else its SHA-256 must
    /// be the blob's. A file found so, and still long enough now, settles its entry.
    /// </summary>
    public bool StillHolds(string path, FileIdentity identity, Kept kept)
    {
        if (kept.Settled && StampsEveryWrite(path))
        {
            return true;
        }
        if (!Holds(path, kept))
        {
            return false;
        }
        if (IsSettled(identity))
        {
            Settle(kept);
        }
        return true;
    }

    /// <summary>Whether the file of <paramref name="identity"/>, read now, had been still for <see cref="settle"/>: its last change (ctime, which no program can set) lies further back.</summary>
    private bool IsSettled(FileIdentity identity) =>
        settle is { } still && identity.ChangedNanos < (DateTime.UtcNow - DateTime.UnixEpoch - still).Ticks * 100;

    /// <summary>
    /// Whether the file at <paramref name="path"/> is on a file system that writes its pages back
    /// and stamps a page's first write after (page_mkwrite's file_update_time): ext2/3/4, XFS,
    /// btrfs, f2fs (linux/magic.h). Not tmpfs, nor one whose pages are another machine's.
    /// </summary>
    internal static bool StampsEveryWrite(string path) => Interop.FileSystemType(path) is 0xEF53 or 0x58465342 or 0x9123683E or 0xF2F52010;

    /// <summary>Marks <paramref name="kept"/>'s entry settled; an entry that cannot be is left as it was.</summary>
    private static void Settle(Kept kept)
    {
        try
        {
            using var file = File.OpenHandle(kept.Path, FileMode.Open, FileAccess.Write);
            Span<byte> settled = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(settled, 1);
            RandomAccess.Write(file, settled, SettledAt);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Whether the file open at <paramref name="path"/> has the content <paramref name="kept"/> was made of: its SHA-256, read a piece at a time.</summary>
    private static bool Holds(string path, Kept kept)
    {
        try
        {
            using var file = File.OpenHandle(path);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                long offset = 0;
                while (RandomAccess.Read(file, buffer, offset) is var n and > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    offset += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return BlobId.FromBytes(hash.GetHashAndReset()) == kept.Id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The <paramref name="pieces"/> chunks after the head, where each header says a blob chunk
    /// that fits the entry and they end it; null where they do not. Their bytes are not read here:
    /// the writer's chunk thread checks them as it copies them (<see cref="TraceWriter.QueueCopied"/>).
    /// </summary>
    private static List<(long Offset, ChunkHeader Header)>? ChunksOf(SafeFileHandle file, int pieces)
    {
        long offset = HeadBytes, length = RandomAccess.GetLength(file);
        var chunks = new List<(long, ChunkHeader)>(pieces);
        Span<byte> headerBytes = stackalloc byte[TraceFormat.ChunkHeaderSize];
        for (int i = 0; i < pieces; i++)
        {
            if (RandomAccess.Read(file, headerBytes, offset) != headerBytes.Length)
            {
                return null;
            }
            var header = ChunkHeader.Read(headerBytes);
            long end = offset + TraceFormat.ChunkHeaderSize + header.StoredLength;
            if (header.Kind != ChunkKind.Blob || header.Problem(length - offset - TraceFormat.ChunkHeaderSize) != null || end > length)
            {
                return null;
            }
            chunks.Add((offset, header));
            offset = end;
        }
        return offset == length ? chunks : null;
    }

    /// <summary>Drops the entries used least recently while they hold more than the capacity, and what writers left unfinished an hour ago.</summary>
    private void Trim()
    {
        var entries = new DirectoryInfo(directory).EnumerateFiles().ToList();
        foreach (var stale in entries.Where(f => f.Name.EndsWith(".tmp", StringComparison.Ordinal) && DateTime.UtcNow - f.LastWriteTimeUtc > StaleWrite))
        {
            stale.Delete();
        }
        var kept = entries.Where(f => f.Name.EndsWith(".blob", StringComparison.Ordinal)).OrderBy(f => f.LastWriteTimeUtc).ToList();
        long total = kept.Sum(f => f.Length);
        foreach (var oldest in kept)
        {
            if (total <= capacity)
            {
                break;
            }
            oldest.Delete();
            total -= oldest.Length;
        }
    }

    private string PathOf(FileIdentity i) =>
        Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{i.Device:x}-{i.Inode:x}-{i.Size:x}-{i.ModifiedNanos:x}-{i.ChangedNanos:x}.blob"));

    private static FileIdentity ReadIdentity(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(b), BinaryPrimitives.ReadUInt64LittleEndian(b[8..]), BinaryPrimitives.ReadInt64LittleEndian(b[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(b[24..]), BinaryPrimitives.ReadInt64LittleEndian(b[32..]));

    private static void WriteIdentity(Span<byte> b, FileIdentity i)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(b, i.Device);
        BinaryPrimitives.WriteUInt64LittleEndian(b[8..], i.Inode);
        BinaryPrimitives.WriteInt64LittleEndian(b[16..], i.Size);
        BinaryPrimitives.WriteInt64LittleEndian(b[24..], i.ModifiedNanos);
        BinaryPrimitives.WriteInt64LittleEndian(b[32..], i.ChangedNanos);
    }

    /// <summary>A kept file's entry: its blob, how many chunks it holds, and whether its file had settled when read (<see cref="WritebackSettle"/>).</summary>
    public sealed record Kept(string Path, BlobId Id, int Pieces, bool Settled);

    /// <summary>
    /// An entry being written: each of its chunks as the trace's writer wrote it
    /// (<see cref="TraceWriter.QueueChunk"/>'s <c>written</c>), then renamed into place after the
    /// last. A failure drops it; the recording never hears of it.
    /// </summary>
    public sealed class Entry(FileCache cache, FileStream stream, string partial, string path, int pieces)
    {
        private int _written;

        public void Add(ReadOnlySpan<byte> chunk)
        {
            if (_written < 0)
            {
                return;
            }
            try
            {
                stream.Write(chunk);
                if (++_written == pieces)
                {
                    stream.Dispose();
                    File.Move(partial, path, overwrite: true);
                    _written = -1;
                    cache.Trim();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _written = -1;
                stream.Dispose();
                File.Delete(partial);
            }
        }
    }
}
