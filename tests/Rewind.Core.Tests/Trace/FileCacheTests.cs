using Rewind.Linux;
using Rewind.Recording;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// Files a recording stores are kept across recordings (<see cref="FileCache"/>): the next trace
/// takes a kept file's chunks as they are, and reads back its content; a damaged entry, or a
/// file changed since (even with its modification time set back), is stored from the file; a
/// file changed lately is not kept; past the capacity the entry used least recently goes.
/// </summary>
public sealed class FileCacheTests : IDisposable
{
    private const int FileBytes = 3 << 20;
    private readonly TraceTestFiles _files = new();

    [Fact]
    public void A_file_stored_once_goes_into_the_next_trace_from_the_cache_and_reads_back_the_same()
    {
        var cache = Cache();
        string file = Write("lib.so", seed: 1);
        var first = Store(cache, file, "first.rwd");
        string entry = EntryOf(file);
        File.SetLastWriteTimeUtc(entry, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var second = Store(cache, file, "second.rwd");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(File.ReadAllBytes(file), second.Content);
        Assert.True(File.GetLastWriteTimeUtc(entry).Year > 2001, "the entry was not used");
        Assert.Equal(FileBytes, second.Stored);
    }

    [Fact]
    public void A_damaged_entry_is_passed_over_and_the_file_is_stored_from_itself()
    {
        var cache = Cache();
        string file = Write("lib.so", seed: 2);
        Store(cache, file, "first.rwd");
        string entry = EntryOf(file);
        using (var damaged = File.OpenHandle(entry, FileMode.Open, FileAccess.ReadWrite))
        {
            byte[] b = new byte[1];
            long at = RandomAccess.GetLength(damaged) / 2;
            RandomAccess.Read(damaged, b, at);
            b[0] ^= 0x40;
            RandomAccess.Write(damaged, b, at);
        }

        var second = Store(cache, file, "second.rwd");

        Assert.Equal(File.ReadAllBytes(file), second.Content);
        Assert.NotNull(cache.Find(Interop.Stat(file)!.Value.Identity));
        Assert.Equal(File.ReadAllBytes(file), Store(cache, file, "third.rwd").Content);
    }

    [Fact]
    public void A_file_changed_since_it_was_kept_is_stored_with_its_new_content_even_with_its_modification_time_set_back()
    {
        var cache = Cache();
        string file = Write("lib.so", seed: 3);
        var modified = File.GetLastWriteTimeUtc(file);
        Store(cache, file, "first.rwd");
        Thread.Sleep(20);
        File.WriteAllBytes(file, Random(FileBytes, seed: 4));
        File.SetLastWriteTimeUtc(file, modified);

        var second = Store(cache, file, "second.rwd");

        Assert.Equal(Random(FileBytes, seed: 4), second.Content);
    }

    [Fact]
    public void A_file_changed_lately_or_a_small_one_is_not_kept()
    {
        var settling = FileCache.Open(_files.PathFor("settling"), 1L << 30, TimeSpan.FromHours(1))!;
        string fresh = Write("fresh.so", seed: 5);
        Store(settling, fresh, "fresh.rwd");
        string small = _files.PathFor("small.so");
        File.WriteAllBytes(small, Random((int)FileCache.MinBytes - 1, seed: 6));
        var cache = Cache();
        Store(cache, small, "small.rwd");

        Assert.Null(settling.Find(Interop.Stat(fresh)!.Value.Identity));
        Assert.Null(cache.Find(Interop.Stat(small)!.Value.Identity));
    }

    [Fact]
    public void Past_its_capacity_the_entry_used_least_recently_goes()
    {
        var cache = FileCache.Open(_files.PathFor("cache"), 2 * FileBytes + (FileBytes / 2), TimeSpan.Zero)!;
        string a = Write("a.so", seed: 7), b = Write("b.so", seed: 8), c = Write("c.so", seed: 9);
        Store(cache, a, "a.rwd");
        Store(cache, b, "b.rwd");
        // a is used again after b was kept: b is now the least recently used.
        File.SetLastWriteTimeUtc(EntryOf(a), DateTime.UtcNow.AddMinutes(-2));
        File.SetLastWriteTimeUtc(EntryOf(b), DateTime.UtcNow.AddMinutes(-3));
        Store(cache, a, "a-again.rwd");

        Store(cache, c, "c.rwd");

        Assert.NotNull(cache.Find(Interop.Stat(a)!.Value.Identity));
        Assert.Null(cache.Find(Interop.Stat(b)!.Value.Identity));
        Assert.NotNull(cache.Find(Interop.Stat(c)!.Value.Identity));
    }

    private FileCache Cache() => FileCache.Open(_files.PathFor("cache"), 1L << 30, TimeSpan.Zero)!;

    private string Write(string name, int seed)
    {
        string path = _files.PathFor(name);
        File.WriteAllBytes(path, Random(FileBytes, seed));
        return path;
    }

    /// <summary>The cache entry of <paramref name="file"/> as it is now; it must exist.</summary>
    private string EntryOf(string file)
    {
        var identity = Interop.Stat(file)!.Value.Identity;
        return Directory.GetFiles(_files.PathFor("cache"), "*.blob").Single(path => path.EndsWith($"-{identity.Size:x}-{identity.ModifiedNanos:x}-{identity.ChangedNanos:x}.blob", StringComparison.Ordinal));
    }

    /// <summary>Stores <paramref name="file"/> into a trace of its own, and reads its blob back.</summary>
    private (BlobId Id, byte[] Content, long Stored) Store(FileCache cache, string file, string trace)
    {
        string path = _files.PathFor(trace);
        BlobId id;
        long stored;
        using (var writer = TraceWriter.Create(path, TraceTestFiles.SampleHeader()))
        {
            var blobs = new BlobStore(writer, cache);
            (id, _) = blobs.Add(file, file);
            stored = blobs.StoredBytes;
            writer.Complete("summary"u8);
        }
        using var read = TraceFile.Open(path);
        return (id, read.Blob(id), stored);
    }

    /// <summary>Bytes that do not compress, as a library's mostly do not much.</summary>
    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => _files.Dispose();
}
