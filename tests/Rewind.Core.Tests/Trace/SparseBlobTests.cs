using Rewind.Linux;
using Rewind.Recording;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// A file past <see cref="TraceFile.LargeBlob"/> is stored as its data extents only, and reads
/// back with its data where it was and zeros elsewhere: a memfd, as .NET's JIT keeps its code in
/// (a few pages of data in a file of many GiB).
/// </summary>
public sealed class SparseBlobTests : IDisposable
{
    private const int Page = 4096;
    private readonly TraceTestFiles _files = new();

    [Fact]
    public void A_sparse_memfd_stores_its_data_extents_only_and_reads_back_each_page_where_it_was()
    {
        const long Size = 600L << 20;
        (long Offset, byte[] Bytes)[] pieces =
        [
            (0, TraceTestFiles.Payload(3 * Page, 1)),
            (5 * Page, TraceTestFiles.Payload(Page, 2)),
            (100L << 20, TraceTestFiles.Payload(2 * Page, 3)),
            (Size - Page, TraceTestFiles.Payload(Page, 4)),
        ];
        using var memfd = MemoryFile.Create("sparse blob test");
        MemoryFile.Resize(memfd, Size);
        foreach (var (offset, bytes) in pieces)
        {
            RandomAccess.Write(memfd, bytes, offset);
        }
        string trace = _files.PathFor("blobs.rwd");
        BlobId id;
        long stored;
        using (var writer = TraceWriter.Create(trace, TraceTestFiles.SampleHeader()))
        {
            var blobs = new BlobStore(writer);
            (id, _) = blobs.Add($"/proc/self/fd/{memfd.DangerousGetHandle()}", "/memfd:sparse blob test");
            stored = blobs.StoredBytes;
            writer.Complete("summary"u8);
        }

        Assert.Equal(pieces.Sum(p => p.Bytes.Length), stored);
        using var file = TraceFile.Open(trace);
        var pages = new SortedDictionary<long, byte[]>();
        file.ReadBlobRange(id, 0, Size, (offset, bytes) =>
        {
            for (int at = 0; at < bytes.Length; at += Page)
            {
                if (bytes.Slice(at, Page).ContainsAnyExcept((byte)0))
                {
                    pages[(long)offset + at] = bytes.Slice(at, Page).ToArray();
                }
            }
        });
        var expected = pieces.SelectMany(p => Enumerable.Range(0, p.Bytes.Length / Page).Select(i => (Offset: p.Offset + (long)i * Page, Bytes: p.Bytes[(i * Page)..((i + 1) * Page)]))).ToList();
        Assert.Equal(expected.Select(e => e.Offset), pages.Keys);
        Assert.All(expected, e => Assert.Equal(e.Bytes, pages[e.Offset]));
    }

    public void Dispose() => _files.Dispose();
}
