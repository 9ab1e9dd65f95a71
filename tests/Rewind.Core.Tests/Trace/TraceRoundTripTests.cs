using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

public sealed class TraceRoundTripTests : IClassFixture<TraceTestFiles>
{
    private readonly TraceTestFiles _files;

    public TraceRoundTripTests(TraceTestFiles files) => _files = files;

    [Fact]
    public void Chunks_of_every_kind_and_size_read_back_identical()
    {
        string path = _files.PathFor("roundtrip.rwd");
        var payloads = new List<byte[]>
        {
            Array.Empty<byte>(),
            new byte[] { 42 },
            TraceTestFiles.Payload(4096, 1),
            TraceTestFiles.Payload(10 * 1024 * 1024, 2),
            new byte[3 * 1024 * 1024], // zeros: the highest ratio LZ4 reaches
            TraceTestFiles.Payload(100, 3),
        };
        ChunkKind[] kinds = [ChunkKind.Events, ChunkKind.Blob, ChunkKind.Checkpoint, (ChunkKind)42];
        var written = new List<ChunkInfo>();
        TraceHeader header = TraceTestFiles.SampleHeader();
        using (TraceWriter writer = TraceWriter.Create(path, header))
        {
            for (int i = 0; i < payloads.Count * kinds.Length; i++)
                written.Add(writer.WriteChunk(kinds[i % kinds.Length], ulong.MaxValue - (ulong)i, payloads[i % payloads.Count]));
            Assert.Equal(new FileInfo(path).Length, writer.Length);
            writer.Complete("the summary"u8);
        }

        using TraceReader reader = TraceReader.Open(path);
        Assert.True(reader.IsComplete);
        Assert.Null(reader.RecoveryNote);
        Assert.Equal("the summary"u8.ToArray(), reader.Summary.ToArray());
        Assert.Equal(new FileInfo(path).Length, reader.FileLength);
        Assert.Equal(written, reader.Chunks);
        for (int i = 0; i < written.Count; i++)
            Assert.Equal(payloads[i % payloads.Count], reader.ReadPayload(reader.Chunks[i]));
    }

    [Fact]
    public void A_trace_written_over_another_is_a_new_file_the_old_one_s_reader_reads_to_its_end_and_a_link_is_written_through()
    {
        string first = _files.WriteTrace("replaced.rwd", 3, complete: true, out var old);
        using (TraceReader reader = TraceReader.Open(first))
        {
            using (TraceWriter writer = TraceWriter.Create(first, TraceTestFiles.SampleHeader()))
            {
                writer.WriteChunk(ChunkKind.Events, 0, TraceTestFiles.Payload(50_000, seed: 99));
                writer.Complete("the new one"u8);
            }
            Assert.Equal(old, reader.Chunks);
            Assert.Equal(TraceTestFiles.Payload(1200, 2), reader.ReadPayload(reader.Chunks[2]));
            using TraceReader now = TraceReader.Open(first);
            Assert.Equal("the new one"u8.ToArray(), now.Summary.ToArray());
        }

        string link = _files.PathFor("latest-link.rwd");
        File.CreateSymbolicLink(link, first);
        using (TraceWriter writer = TraceWriter.Create(link, TraceTestFiles.SampleHeader()))
            writer.Complete("through the link"u8);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        using TraceReader target = TraceReader.Open(first);
        Assert.Equal("through the link"u8.ToArray(), target.Summary.ToArray());
    }

    [Fact]
    public void Header_round_trips_with_this_machine()
    {
        string path = _files.WriteTrace("header.rwd", 0, complete: true, out _);
        TraceHeader expected = TraceTestFiles.SampleHeader();

        using TraceReader reader = TraceReader.Open(path);
        TraceHeader h = reader.Header;
        Assert.Equal(TraceFormat.CurrentVersion, h.FormatVersion);
        Assert.Equal(expected.RewindVersion, h.RewindVersion);
        Assert.Equal(DateTimeKind.Utc, h.CreatedUtc.Kind);
        Assert.True((DateTime.UtcNow - h.CreatedUtc).Duration() < TimeSpan.FromHours(1));
        Assert.Equal(expected.CommandLine, h.CommandLine);
        Assert.Equal(expected.WorkingDirectory, h.WorkingDirectory);
        Assert.Equal(expected.Environment, h.Environment);
        Assert.Equal(expected.Machine.Hostname, h.Machine.Hostname);
        Assert.Equal(expected.Machine.KernelRelease, h.Machine.KernelRelease);
        Assert.Equal(expected.Machine.CpuModel, h.Machine.CpuModel);
        Assert.Equal(expected.Machine.CpuFlags, h.Machine.CpuFlags);
        Assert.Equal(Environment.SystemPageSize, h.Machine.PageSize);
        Assert.NotEmpty(h.Machine.Cpuid!);
        Assert.Equal(expected.Machine.Cpuid, h.Machine.Cpuid);
        Assert.Empty(reader.Chunks);
    }

    [Fact]
    public void This_machine_is_described_from_proc()
    {
        TraceMachine m = TraceMachine.Current();
        Assert.False(string.IsNullOrWhiteSpace(m.KernelRelease));
        Assert.False(string.IsNullOrWhiteSpace(m.Hostname));
        if (File.Exists("/proc/cpuinfo"))
            Assert.Contains("sse2", m.CpuFlags);
    }

    [Fact]
    public void Concurrent_writers_lose_and_mix_nothing()
    {
        string path = _files.PathFor("concurrent.rwd");
        const int PerThread = 200;
        using (TraceWriter writer = TraceWriter.Create(path, TraceTestFiles.SampleHeader()))
        {
            using var start = new Barrier(2);
            void Write(ChunkKind kind)
            {
                start.SignalAndWait();
                for (int i = 0; i < PerThread; i++)
                    writer.WriteChunk(kind, (ulong)i, TraceTestFiles.Payload(500 + (i * 37), ((int)kind * 1000) + i));
            }
            var other = new Thread(() => Write(ChunkKind.Checkpoint));
            other.Start();
            Write(ChunkKind.Events);
            other.Join();
            writer.Complete([]);
        }

        using TraceReader reader = TraceReader.Open(path);
        Assert.True(reader.IsComplete);
        Assert.Equal(2 * PerThread, reader.Chunks.Count);
        foreach (ChunkKind kind in new[] { ChunkKind.Events, ChunkKind.Checkpoint })
        {
            // Each thread's chunks appear in the order it wrote them, with intact payloads.
            List<ChunkInfo> mine = reader.Chunks.Where(c => c.Kind == kind).ToList();
            Assert.Equal(Enumerable.Range(0, PerThread).Select(i => (ulong)i), mine.Select(c => c.Tag));
            foreach (ChunkInfo c in mine)
                Assert.Equal(TraceTestFiles.Payload(500 + ((int)c.Tag * 37), ((int)kind * 1000) + (int)c.Tag), reader.ReadPayload(c));
        }
    }

    [Fact]
    public void Writer_refuses_container_kinds_and_use_after_complete()
    {
        string path = _files.PathFor("refuse.rwd");
        using TraceWriter writer = TraceWriter.Create(path, TraceTestFiles.SampleHeader());
        Assert.Throws<ArgumentException>(() => writer.WriteChunk(ChunkKind.Index, 0, []));
        Assert.Throws<ArgumentException>(() => writer.WriteChunk(ChunkKind.Header, 0, []));
        writer.Complete([]);
        Assert.Throws<ObjectDisposedException>(() => writer.WriteChunk(ChunkKind.Events, 0, []));
    }

    [Fact]
    public void A_chunk_of_another_trace_is_refused()
    {
        string path = _files.WriteTrace("other.rwd", 2, complete: true, out List<ChunkInfo> written);
        using TraceReader reader = TraceReader.Open(path);
        Assert.Throws<ArgumentException>(() => reader.ReadPayload(written[0] with { Offset = written[0].Offset + 1 }));
    }
}
