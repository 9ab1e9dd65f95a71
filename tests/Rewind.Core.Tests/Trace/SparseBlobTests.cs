using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Recording;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// A file past <see cref="TraceFile.LargeBlob"/> is stored as its data extents only, and reads
/// back with its data where it was and zeros elsewhere: a memfd, as .NET's JIT keeps its code in
/// (a few pages of data in a file of many GiB), or one of holes alone.
/// </summary>
public sealed class SparseBlobTests : IDisposable
{
    private const int Page = 4096;
    private const long Size = 600L << 20;
    private readonly TraceTestFiles _files = new();

    [Fact]
    public void A_sparse_memfd_stores_its_data_extents_only_and_reads_back_each_page_where_it_was()
    {
        (long Offset, byte[] Bytes)[] pieces =
        [
            (0, TraceTestFiles.Payload(3 * Page, 1)),
            (5 * Page, TraceTestFiles.Payload(Page, 2)),
            (100L << 20, TraceTestFiles.Payload(2 * Page, 3)),
            (Size - Page, TraceTestFiles.Payload(Page, 4)),
        ];
        using var memfd = MemFd(pieces);

        var (trace, id, stored) = Store(memfd);

        Assert.Equal(pieces.Sum(p => p.Bytes.Length), stored);
        Assert.Equal(PagesOf(pieces), DataPages(trace, id));
    }

    [Fact]
    public void A_memfd_of_holes_alone_is_named_in_the_trace_and_reads_back_as_zeros()
    {
        using var memfd = MemFd([]);

        var (trace, id, stored) = Store(memfd);

        Assert.Equal(0, stored);
        using (var file = TraceFile.Open(trace))
        {
            Assert.Single(file.Reader.Chunks, c => c.Kind == ChunkKind.Blob && c.Tag == Size);
        }
        Assert.Empty(DataPages(trace, id));
        Assert.Equal(BlobId.OfHoles(Size), id);
    }

    [Fact]
    public void Pieces_of_a_data_extent_that_hold_only_zeros_are_left_out_and_the_others_read_back()
    {
        // Zeros written are data to SEEK_DATA: one extent from 64 MiB to past 128 MiB, whose
        // first 64 MiB piece is zeros and whose second holds one page.
        (long Offset, byte[] Bytes)[] pieces =
        [
            (64L << 20, new byte[64 << 20]),
            (128L << 20, TraceTestFiles.Payload(Page, 5)),
            (300L << 20, TraceTestFiles.Payload(Page, 6)),
        ];
        using var memfd = MemFd(pieces);

        var (trace, id, stored) = Store(memfd);

        Assert.Equal(2 * Page, stored);
        Assert.Equal(PagesOf(pieces), DataPages(trace, id));
    }

    [Fact]
    public void A_trace_written_before_files_of_holes_had_a_chunk_reads_such_a_file_as_zeros_and_still_refuses_a_missing_one()
    {
        string trace = _files.PathFor("old.rwd");
        using (var writer = TraceWriter.Create(trace, TraceTestFiles.SampleHeader()))
        {
            writer.Complete("summary"u8);
        }
        using var file = TraceFile.Open(trace);
        int pieces = 0;

        file.ReadBlobRange(BlobId.OfHoles(Size), Size, 0, Size, (_, _) => pieces++);

        Assert.Equal(0, pieces);
        var missing = Assert.Throws<TraceFormatException>(() => file.ReadBlobRange(BlobId.OfHoles(Size), Size + Page, 0, Size, (_, _) => pieces++));
        TraceTestFiles.AssertOneLine(missing, "the trace lacks the content of a mapped file");
    }

    private static SafeFileHandle MemFd((long Offset, byte[] Bytes)[] pieces)
    {
        var memfd = MemoryFile.Create("sparse blob test");
        MemoryFile.Resize(memfd, Size);
        foreach (var (offset, bytes) in pieces)
        {
            RandomAccess.Write(memfd, bytes, offset);
        }
        return memfd;
    }

    /// <summary>Stores the memfd with a <see cref="BlobStore"/> into a trace of its own.</summary>
    private (string Trace, BlobId Id, long Stored) Store(SafeFileHandle memfd)
    {
        string trace = _files.PathFor("blobs.rwd");
        using var writer = TraceWriter.Create(trace, TraceTestFiles.SampleHeader());
        var blobs = new BlobStore(writer);
        var (id, _) = blobs.Add($"/proc/self/fd/{memfd.DangerousGetHandle()}", "/memfd:sparse blob test");
        writer.Complete("summary"u8);
        return (trace, id, blobs.StoredBytes);
    }

    /// <summary>The pages of the blob read back by range that are not zeros, by offset.</summary>
    private static SortedDictionary<long, byte[]> DataPages(string trace, BlobId id)
    {
        using var file = TraceFile.Open(trace);
        var pages = new SortedDictionary<long, byte[]>();
        file.ReadBlobRange(id, Size, 0, Size, (offset, bytes) =>
        {
            for (int at = 0; at < bytes.Length; at += Page)
            {
                if (bytes.Slice(at, Page).ContainsAnyExcept((byte)0))
                {
                    pages[(long)offset + at] = bytes.Slice(at, Page).ToArray();
                }
            }
        });
        return pages;
    }

    private static SortedDictionary<long, byte[]> PagesOf((long Offset, byte[] Bytes)[] pieces) =>
        new(pieces.SelectMany(p => Enumerable.Range(0, p.Bytes.Length / Page).Select(i => (Offset: p.Offset + (long)i * Page, Bytes: p.Bytes[(i * Page)..((i + 1) * Page)])))
            .Where(p => p.Bytes.ContainsAnyExcept((byte)0)).ToDictionary(p => p.Offset, p => p.Bytes));

    public void Dispose() => _files.Dispose();
}
