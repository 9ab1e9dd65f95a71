using System.Runtime.InteropServices;
using Rewind.Linux;
using Rewind.Recording;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// Files a recording stores are kept across recordings (<see cref="FileCache"/>): the next trace
/// takes a kept file's chunks as they are, and reads back its content; a damaged chunk (found as
/// it is copied: the entry then goes), or a file changed since (even with its modification time
/// set back, or with none of its times changed), is stored from the file, unless the file had
/// settled on a disk file system, whose times then vouch for it; a small file is not kept; past
/// the capacity the entry used least recently goes.
/// </summary>
public sealed partial class FileCacheTests : IDisposable
{
    private const int FileBytes = 3 << 20;
    private const int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
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
    public void A_damaged_entry_is_found_as_it_is_copied_the_file_stored_from_itself_and_the_entry_kept_again_next_time()
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
        Assert.False(File.Exists(entry), "the damaged entry was kept");
        Assert.Equal(File.ReadAllBytes(file), Store(cache, file, "third.rwd").Content);
        Assert.NotNull(cache.Find(Interop.Stat(file)!.Value.Identity));
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
    public void A_file_whose_content_changed_with_none_of_its_times_is_stored_with_its_new_content()
    {
        using var memfd = MemoryFile.Create("file cache test");
        RandomAccess.Write(memfd, Random(FileBytes, seed: 5), 0);
        string file = $"/proc/self/fd/{memfd.DangerousGetHandle()}";
        // A write through a shared mapping stamps the file's times at its page's first write
        // fault only; later writes to the page, until it is written back, change none of them.
        nint mapped = mmap(0, FileBytes, PROT_READ | PROT_WRITE, MAP_SHARED, (int)memfd.DangerousGetHandle(), 0);
        Assert.NotEqual(-1, mapped);
        try
        {
            Marshal.WriteByte(mapped + (FileBytes / 2), 1);
            var cache = Cache();
            var first = Store(cache, file, "first.rwd");
            var before = Interop.Stat(file)!.Value.Identity;
            Marshal.WriteByte(mapped + (FileBytes / 2), 2);
            Assert.Equal(before, Interop.Stat(file)!.Value.Identity);

            var second = Store(cache, file, "second.rwd");

            Assert.Equal(1, first.Content[FileBytes / 2]);
            Assert.Equal(2, second.Content[FileBytes / 2]);
        }
        finally
        {
            Assert.Equal(0, munmap(mapped, FileBytes));
        }
    }

    [DiskFileSystemFact]
    public void A_file_changed_with_none_of_its_times_is_read_again_until_its_entry_settles_then_its_times_vouch_for_it()
    {
        string file = Write("lib.so", seed: 10);
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
        nint mapped = mmap(0, FileBytes, PROT_READ | PROT_WRITE, MAP_SHARED, (int)handle.DangerousGetHandle(), 0);
        Assert.NotEqual(-1, mapped);
        try
        {
            // The first write through the mapping stamps the times; the later ones, to the same
            // dirty page, change none of them.
            Marshal.WriteByte(mapped + (FileBytes / 2), 1);
            var identity = Interop.Stat(file)!.Value.Identity;
            var unsettled = FileCache.Open(_files.PathFor("cache"), 1L << 30, settle: TimeSpan.FromHours(1))!;
            var settles = FileCache.Open(_files.PathFor("cache"), 1L << 30, settle: TimeSpan.Zero)!;

            byte first = Store(unsettled, file, "first.rwd").Content[FileBytes / 2];
            Marshal.WriteByte(mapped + (FileBytes / 2), 2);
            byte second = Store(unsettled, file, "second.rwd").Content[FileBytes / 2];
            byte verified = Store(settles, file, "verified.rwd").Content[FileBytes / 2];
            Marshal.WriteByte(mapped + (FileBytes / 2), 3);
            byte vouched = Store(settles, file, "vouched.rwd").Content[FileBytes / 2];

            Assert.Equal(identity, Interop.Stat(file)!.Value.Identity);
            Assert.Equal([1, 2, 2, 2], new[] { first, second, verified, vouched });
        }
        finally
        {
            Assert.Equal(0, munmap(mapped, FileBytes));
        }
    }

    [Fact]
    public void A_small_file_is_not_kept()
    {
        string small = _files.PathFor("small.so");
        File.WriteAllBytes(small, Random((int)FileCache.MinBytes - 1, seed: 6));
        var cache = Cache();

        Store(cache, small, "small.rwd");

        Assert.Null(cache.Find(Interop.Stat(small)!.Value.Identity));
    }

    [Fact]
    public void Past_its_capacity_the_entry_used_least_recently_goes()
    {
        var cache = FileCache.Open(_files.PathFor("cache"), 2 * FileBytes + (FileBytes / 2), settle: null)!;
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

    private FileCache Cache() => FileCache.Open(_files.PathFor("cache"), 1L << 30, FileCache.WritebackSettle())!;

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

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint address, nint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint address, nint length);

    public void Dispose() => _files.Dispose();
}

/// <summary>A fact about files on a disk file system, which the temporary directory must be on: skipped where it is not (tmpfs).</summary>
public sealed class DiskFileSystemFactAttribute : FactAttribute
{
    public DiskFileSystemFactAttribute()
    {
        if (!FileCache.StampsEveryWrite(Path.GetTempPath()))
        {
            Skip = $"{Path.GetTempPath()} is not on a file system that writes its pages back (ext4, XFS, btrfs, f2fs)";
        }
    }
}
