using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>Traces whose recorder was killed, or whose bytes were damaged afterwards.</summary>
public sealed class TraceRecoveryTests : IClassFixture<TraceTestFiles>
{
    private readonly TraceTestFiles _files;

    public TraceRecoveryTests(TraceTestFiles files) => _files = files;

    [Fact]
    public void Killed_recorder_leaves_every_flushed_chunk_readable()
    {
        string live = _files.PathFor("live.rwd");
        string copy = _files.PathFor("killed.rwd");
        var written = new List<ChunkInfo>();
        using (TraceWriter writer = TraceWriter.Create(live, TraceTestFiles.SampleHeader()))
        {
            for (int i = 0; i < 10; i++)
                written.Add(writer.WriteChunk(ChunkKind.Events, (ulong)i, TraceTestFiles.Payload(2000, i)));
            writer.Flush();
            // What a killed recorder leaves: the bytes so far, no footer.
            File.WriteAllBytes(copy, File.ReadAllBytes(live));

            // The live file reads the same while the writer still has it open.
            using TraceReader following = TraceReader.Open(live);
            Assert.Equal(written, following.Chunks);
            writer.Complete([]);
        }

        using TraceReader reader = TraceReader.Open(copy);
        Assert.False(reader.IsComplete);
        Assert.True(reader.Summary.IsEmpty);
        Assert.Equal(written, reader.Chunks);
        Assert.Equal($"the recording was interrupted: the trace ends after chunk 9 at byte {written[9].End}", reader.RecoveryNote);
        for (int i = 0; i < written.Count; i++)
            Assert.Equal(TraceTestFiles.Payload(2000, i), reader.ReadPayload(reader.Chunks[i]));
    }

    [Fact]
    public void Queued_chunks_reach_the_file_before_chunks_written_after_them_and_before_it_closes()
    {
        string live = _files.PathFor("queued.rwd");
        string copy = _files.PathFor("queued-killed.rwd");
        using (TraceWriter writer = TraceWriter.Create(live, TraceTestFiles.SampleHeader()))
        {
            for (int i = 0; i < 4; i++)
                writer.QueueChunk(ChunkKind.Blob, (ulong)i, [], TraceTestFiles.Payload(3 << 20, i));
            writer.WriteChunk(ChunkKind.Events, 4, TraceTestFiles.Payload(2000, 4));
            File.WriteAllBytes(copy, File.ReadAllBytes(live));
            writer.QueueChunk(ChunkKind.Blob, 5, [], TraceTestFiles.Payload(1 << 20, 5));
        }

        // The events chunk came after every chunk queued before it, in their order.
        using (TraceReader killed = TraceReader.Open(copy))
            Assert.Equal([0UL, 1, 2, 3, 4], killed.Chunks.Select(c => c.Tag));
        // Disposing without Complete still waited for the last queued chunk.
        using TraceReader reader = TraceReader.Open(live);
        Assert.False(reader.IsComplete);
        Assert.Equal([0UL, 1, 2, 3, 4, 5], reader.Chunks.Select(c => c.Tag));
        Assert.Equal(TraceTestFiles.Payload(3 << 20, 2), reader.ReadPayload(reader.Chunks[2]));
        Assert.Equal(TraceTestFiles.Payload(1 << 20, 5), reader.ReadPayload(reader.Chunks[5]));
    }

    [Theory]
    [InlineData(500)] // inside the payload
    [InlineData(10)] // inside the chunk header
    public void Truncated_mid_chunk_recovers_the_chunks_before(int keep)
    {
        string path = _files.WriteTrace($"cut-{keep}.rwd", 6, complete: false, out List<ChunkInfo> written);
        Truncate(path, written[5].Offset + keep);

        using TraceReader reader = TraceReader.Open(path);
        Assert.False(reader.IsComplete);
        Assert.Equal(written.Take(5), reader.Chunks);
        Assert.Equal(
            $"the recording was interrupted: the trace ends after chunk 4 at byte {written[4].End} (a partial chunk of {keep} bytes was dropped)",
            reader.RecoveryNote);
        Assert.Equal(TraceTestFiles.Payload(1400, 4), reader.ReadPayload(reader.Chunks[4]));
    }

    [Fact]
    public void Truncated_inside_the_first_chunk_keeps_the_header()
    {
        string path = _files.WriteTrace("cut-first.rwd", 1, complete: false, out List<ChunkInfo> written);
        Truncate(path, written[0].Offset + 30);

        using TraceReader reader = TraceReader.Open(path);
        Assert.Empty(reader.Chunks);
        Assert.Equal(TraceTestFiles.SampleHeader().CommandLine, reader.Header.CommandLine);
        Assert.Equal(
            $"the recording was interrupted: the trace ends after its header at byte {written[0].Offset} (a partial chunk of 30 bytes was dropped)",
            reader.RecoveryNote);
    }

    [Fact]
    public void Damaged_chunk_with_a_valid_footer_fails_only_when_read()
    {
        string path = _files.WriteTrace("flip.rwd", 6, complete: true, out List<ChunkInfo> written);
        FlipBit(path, written[3].Offset + 24 + 40);

        using TraceReader reader = TraceReader.Open(path);
        Assert.True(reader.IsComplete);
        Assert.Equal(written, reader.Chunks);
        Assert.Equal(TraceTestFiles.Payload(1500, 5), reader.ReadPayload(reader.Chunks[5]));
        var e = Assert.Throws<TraceFormatException>(() => reader.ReadPayload(reader.Chunks[3]));
        TraceTestFiles.AssertOneLine(e, $"flip.rwd: chunk 3 (Events at byte {written[3].Offset}) is damaged: checksum mismatch");
    }

    [Fact]
    public void Verifying_checksums_names_a_damaged_chunk_before_its_payload_is_read()
    {
        string path = _files.WriteTrace("verify.rwd", 6, complete: true, out List<ChunkInfo> written);
        FlipBit(path, written[4].Offset + 24 + 40);

        using TraceReader reader = TraceReader.Open(path);
        reader.VerifyChecksums(reader.Chunks.Take(4));
        var e = Assert.Throws<TraceFormatException>(() => reader.VerifyChecksums(reader.Chunks));
        TraceTestFiles.AssertOneLine(e, $"verify.rwd: chunk 4 (Events at byte {written[4].Offset}) is damaged: checksum mismatch");
    }

    [Fact]
    public void A_hibernation_image_cut_short_says_its_writing_was_interrupted()
    {
        string path = _files.PathFor("image.rwi");
        ChunkInfo process;
        using (TraceWriter writer = TraceWriter.Create(path, TraceTestFiles.SampleHeader() with { Hibernation = true }))
        {
            process = writer.WriteChunk(ChunkKind.Process, 0, TraceTestFiles.Payload(1000, 0));
            writer.WriteChunk(ChunkKind.CheckpointPages, 0, TraceTestFiles.Payload(5000, 1));
        }
        Truncate(path, process.End + 100);

        using TraceReader reader = TraceReader.Open(path);
        Assert.True(reader.Header.Hibernation);
        Assert.Equal(
            $"writing the image was interrupted: the image ends after chunk 0 at byte {process.End} (a partial chunk of 100 bytes was dropped)",
            reader.RecoveryNote);
    }

    [Fact]
    public void Damaged_chunk_without_a_footer_ends_the_recovered_trace()
    {
        string path = _files.WriteTrace("flip-open.rwd", 6, complete: false, out List<ChunkInfo> written);
        FlipBit(path, written[3].Offset + 24 + 40);

        using TraceReader reader = TraceReader.Open(path);
        Assert.Equal(written.Take(3), reader.Chunks);
        Assert.Equal(
            $"the recording was interrupted: the trace ends after chunk 2 at byte {written[3].Offset} " +
            $"(chunk 3 at byte {written[3].Offset} is damaged: checksum mismatch; the {new FileInfo(path).Length - written[3].Offset} bytes from there were dropped)",
            reader.RecoveryNote);
    }

    [Fact]
    public void Damaged_index_falls_back_to_scanning()
    {
        string path = _files.WriteTrace("bad-index.rwd", 4, complete: true, out List<ChunkInfo> written);
        long indexAt = written[3].End;
        FlipBit(path, indexAt + 24 + 5);

        using TraceReader reader = TraceReader.Open(path);
        Assert.False(reader.IsComplete);
        Assert.Equal(written, reader.Chunks);
        string note = reader.RecoveryNote!;
        Assert.StartsWith("the footer is damaged (the index chunk is damaged: checksum mismatch", note, StringComparison.Ordinal);
        Assert.Contains($"the trace ends after chunk 3 at byte {indexAt} (chunk 4 at byte {indexAt} is damaged: checksum mismatch", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_trailer_falls_back_to_scanning_up_to_the_index()
    {
        string path = _files.WriteTrace("bad-trailer.rwd", 4, complete: true, out List<ChunkInfo> written);
        FlipBit(path, new FileInfo(path).Length - 3); // inside the end magic

        using TraceReader reader = TraceReader.Open(path);
        Assert.False(reader.IsComplete);
        Assert.Equal(written, reader.Chunks);
        Assert.Equal(
            $"the footer is damaged (no valid trailer after the index at byte {written[3].End}); " +
            $"the chunks were recovered by scanning: the trace ends after chunk 3 at byte {written[3].End}",
            reader.RecoveryNote);
    }

    [Fact]
    public void Trailer_pointing_elsewhere_falls_back_to_scanning()
    {
        string path = _files.WriteTrace("trailer-offset.rwd", 4, complete: true, out List<ChunkInfo> written);
        byte[] bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 16), written[1].Offset);
        File.WriteAllBytes(path, bytes);

        using TraceReader reader = TraceReader.Open(path);
        Assert.False(reader.IsComplete);
        Assert.Equal(written, reader.Chunks);
        Assert.StartsWith($"the footer is damaged (the trailer points at byte {written[1].Offset}, where no index chunk starts)", reader.RecoveryNote, StringComparison.Ordinal);
    }

    internal static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }

    internal static void FlipBit(string path, long offset)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x10;
        File.WriteAllBytes(path, bytes);
    }
}
