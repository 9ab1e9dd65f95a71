using System.Buffers.Binary;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>Hand-made bad bytes: every one must give one line, never a crash, a hang or a huge allocation.</summary>
public sealed class TraceBoundsTests : IClassFixture<TraceTestFiles>
{
    private readonly TraceTestFiles _files;

    public TraceBoundsTests(TraceTestFiles files) => _files = files;

    [Fact]
    public void Zero_length_file() =>
        AssertRefused(File.WriteAllBytes, [], "not a Rewind trace (the file is empty)");

    [Fact]
    public void Random_bytes()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        AssertRefused(File.WriteAllBytes, bytes, "not a Rewind trace (no RWNDTRC magic at its start)");
    }

    [Fact]
    public void Text_file_shorter_than_the_magic() =>
        AssertRefused(File.WriteAllBytes, "hello\n"u8.ToArray(), "not a Rewind trace (no RWNDTRC magic at its start)");

    [Fact]
    public void Wrong_magic() =>
        AssertRefused(File.WriteAllBytes, HandMadeTrace.Prologue(magic: "RWNDTRX\0"), "not a Rewind trace (no RWNDTRC magic at its start)");

    [Fact]
    public void Newer_version()
    {
        string path = _files.WriteTrace("newer.rwd", 1, complete: true, out _);
        byte[] bytes = File.ReadAllBytes(path);
        int newer = TraceFormat.CurrentVersion + 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)newer);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Open(path));
        Assert.Equal($"{path} was written by a newer Rewind (format {newer}; this one reads up to {TraceFormat.CurrentVersion})", e.Message);
    }

    [Fact]
    public void Version_zero() =>
        AssertRefused(File.WriteAllBytes, HandMadeTrace.Prologue(version: 0), "not a Rewind trace (format version 0)");

    [Fact]
    public void Truncated_prologue() =>
        AssertRefused(File.WriteAllBytes, HandMadeTrace.Prologue()[..10], "truncated trace: the file ends at byte 10, inside its 16-byte prologue");

    [Fact]
    public void Prologue_without_header_chunk() =>
        AssertRefused(File.WriteAllBytes, HandMadeTrace.Prologue(), "truncated trace: the file ends at byte 16, inside the header chunk");

    [Fact]
    public void Truncated_header_chunk()
    {
        string path = _files.WriteTrace("cut-header.rwd", 0, complete: true, out _);
        TraceRecoveryTests.Truncate(path, 100);
        Refused(path, "truncated trace: the file ends at byte 100, inside the header chunk");
    }

    [Fact]
    public void First_chunk_is_not_a_header() =>
        AssertSaved(new HandMadeTrace().Add(HandMadeTrace.Prologue()).Chunk(ChunkKind.Events, 0, [1, 2, 3]),
            "not a Rewind trace (its first chunk is of kind 2, not the header)");

    [Fact]
    public void Header_chunk_with_huge_raw_length() =>
        AssertSaved(new HandMadeTrace().Add(HandMadeTrace.Prologue()).RawChunkHeader(ChunkKind.Header, uint.MaxValue, 8).Add(new byte[8]),
            "the header chunk is damaged: raw length 4294967295 exceeds the 1 GiB limit");

    [Fact]
    public void Header_chunk_with_impossible_expansion() =>
        AssertSaved(new HandMadeTrace().Add(HandMadeTrace.Prologue()).RawChunkHeader(ChunkKind.Header, 1 << 30, 16).Add(new byte[16]),
            "the header chunk is damaged: raw length 1073741824 is impossible for 16 stored bytes");

    [Fact]
    public void Header_chunk_with_stored_length_past_the_end() =>
        AssertSaved(new HandMadeTrace().Add(HandMadeTrace.Prologue()).RawChunkHeader(ChunkKind.Header, 100, 1_000_000).Add(new byte[50]),
            "truncated trace: the file ends at byte 90, inside the header chunk");

    [Fact]
    public void Header_chunk_that_is_not_json() =>
        AssertSaved(new HandMadeTrace().Add(HandMadeTrace.Prologue()).Chunk(ChunkKind.Header, 0, "not json"u8.ToArray()),
            "the trace header is not valid: ");

    [Fact]
    public void Header_chunk_missing_a_field() =>
        AssertSaved(new HandMadeTrace().Add(HandMadeTrace.Prologue()).Chunk(ChunkKind.Header, 0, """{"formatVersion":1}"""u8.ToArray()),
            "the trace header is not valid: ");

    [Fact]
    public void Chunk_length_past_the_end_is_a_partial_chunk()
    {
        HandMadeTrace t = HandMadeTrace.WithHeader();
        long at = t.Position;
        string path = t.RawChunkHeader(ChunkKind.Events, 10, 1_000_000).Add(new byte[40]).SaveAs(_files.PathFor("past-end.rwd"));
        using TraceReader reader = TraceReader.Open(path);
        Assert.Empty(reader.Chunks);
        Assert.Equal($"the recording was interrupted: the trace ends after its header at byte {at} (a partial chunk of 64 bytes was dropped)", reader.RecoveryNote);
    }

    [Fact]
    public void Chunk_with_huge_raw_length_stops_recovery()
    {
        HandMadeTrace t = HandMadeTrace.WithHeader().Chunk(ChunkKind.Events, 0, [1, 2, 3]);
        long at = t.Position;
        string path = t.RawChunkHeader(ChunkKind.Events, 0x8000_0000, 16).Add(new byte[16]).SaveAs(_files.PathFor("huge-raw.rwd"));
        using TraceReader reader = TraceReader.Open(path);
        Assert.Single(reader.Chunks);
        Assert.EndsWith($"(chunk 1 at byte {at} is damaged: raw length 2147483648 exceeds the 1 GiB limit; the 40 bytes from there were dropped)", reader.RecoveryNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunk_of_kind_zero_stops_recovery()
    {
        HandMadeTrace t = HandMadeTrace.WithHeader();
        string path = t.Add(new byte[100]).SaveAs(_files.PathFor("zeros.rwd"));
        using TraceReader reader = TraceReader.Open(path);
        Assert.Contains("(chunk 0 at byte", reader.RecoveryNote, StringComparison.Ordinal);
        Assert.Contains("is damaged: kind 0 is not a chunk", reader.RecoveryNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_that_is_not_lz4_names_the_chunk()
    {
        HandMadeTrace t = HandMadeTrace.WithHeader();
        long at = t.Position;
        string path = t.Chunk(ChunkKind.Blob, 0, new byte[10], frame: new byte[20]).SaveAs(_files.PathFor("not-lz4.rwd"));
        using TraceReader reader = TraceReader.Open(path);
        var e = Assert.Throws<TraceFormatException>(() => reader.ReadPayload(reader.Chunks[0]));
        TraceTestFiles.AssertOneLine(e, $"chunk 0 (Blob at byte {at}) is damaged: lz4: ERROR_");
    }

    [Theory]
    [InlineData(99, "lz4: the frame decodes to more than 99 bytes")]
    [InlineData(101, "lz4: ")]
    public void Frame_of_another_size_than_the_raw_length_is_refused(uint rawLength, string expected)
    {
        string path = HandMadeTrace.WithHeader()
            .Chunk(ChunkKind.Events, 0, TraceTestFiles.Payload(100, 1), rawLength)
            .SaveAs(_files.PathFor($"size-{rawLength}.rwd"));
        using TraceReader reader = TraceReader.Open(path);
        var e = Assert.Throws<TraceFormatException>(() => reader.ReadPayload(reader.Chunks[0]));
        TraceTestFiles.AssertOneLine(e, "chunk 0 (Events at byte ");
        TraceTestFiles.AssertOneLine(e, expected);
    }

    [Fact]
    public void Index_with_a_hostile_entry_count_falls_back_to_scanning()
    {
        HandMadeTrace t = HandMadeTrace.WithHeader().Chunk(ChunkKind.Events, 5, [9, 9, 9]);
        long indexAt = t.Position;
        var index = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(index, 0x7FFF_FFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(4), 32);
        string path = t.Chunk(ChunkKind.Index, 0, index).Trailer(indexAt).SaveAs(_files.PathFor("hostile-index.rwd"));

        using TraceReader reader = TraceReader.Open(path);
        Assert.False(reader.IsComplete);
        Assert.Single(reader.Chunks);
        Assert.StartsWith("the footer is damaged (the index chunk is damaged: index claims 2147483647 entries but holds 12 bytes)", reader.RecoveryNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_entry_pointing_past_the_index_falls_back_to_scanning()
    {
        HandMadeTrace t = HandMadeTrace.WithHeader().Chunk(ChunkKind.Events, 5, [9, 9, 9]);
        long indexAt = t.Position;
        var index = new byte[12 + 32];
        BinaryPrimitives.WriteUInt32LittleEndian(index, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(4), 32);
        BinaryPrimitives.WriteInt64LittleEndian(index.AsSpan(8), indexAt - 10);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(8 + 16), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(index.AsSpan(8 + 24), 1000);
        string path = t.Chunk(ChunkKind.Index, 0, index).Trailer(indexAt).SaveAs(_files.PathFor("index-overlap.rwd"));

        using TraceReader reader = TraceReader.Open(path);
        Assert.False(reader.IsComplete);
        Assert.Contains("index entry 0: it overlaps the index", reader.RecoveryNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_damage_never_escapes_as_anything_but_a_trace_format_error()
    {
        string path = _files.WriteTrace("fuzz-source.rwd", 5, complete: true, out _);
        byte[] original = File.ReadAllBytes(path);
        string damaged = _files.PathFor("fuzz.rwd");
        var random = new Random(12345);
        for (int round = 0; round < 600; round++)
        {
            byte[] bytes = original.ToArray();
            int flips = random.Next(1, 4);
            for (int i = 0; i < flips; i++)
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(damaged, round % 3 == 0 ? bytes[..random.Next(bytes.Length)] : bytes);
            try
            {
                using TraceReader reader = TraceReader.Open(damaged);
                foreach (ChunkInfo c in reader.Chunks)
                {
                    try
                    {
                        reader.ReadPayload(c);
                    }
                    catch (TraceFormatException e)
                    {
                        Assert.DoesNotContain('\n', e.Message);
                    }
                }
            }
            catch (TraceFormatException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }
    }

    private void AssertRefused(Action<string, byte[]> write, byte[] bytes, string expected)
    {
        string path = _files.PathFor(Guid.NewGuid().ToString("N") + ".rwd");
        write(path, bytes);
        Refused(path, expected);
    }

    private void AssertSaved(HandMadeTrace trace, string expected) =>
        Refused(trace.SaveAs(_files.PathFor(Guid.NewGuid().ToString("N") + ".rwd")), expected);

    private static void Refused(string path, string expected)
    {
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Open(path));
        TraceTestFiles.AssertOneLine(e, $"{path}: {expected}");
    }
}
