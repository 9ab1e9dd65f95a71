using System.Buffers.Binary;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// A good trace, damaged: truncated, a byte flipped, a newer format version. The reader
/// must say so in one line -- or, for a truncated trace, replay up to the last complete
/// chunk -- and never crash or hang.
/// </summary>
public sealed class DamagedTraceTests
{
    // Absolute lengths cut into the header; fractions of the file cut chunks anywhere.
    public static TheoryData<double> Cuts => new(8, 9, 10, 16, 64, 200, 0.1, 0.25, 0.5, 0.75, 0.9, -1);

    public static TheoryData<double> Flips => new(0.3, 0.5, 0.7);

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task TruncatedTraceReplaysToItsLastChunkOrFailsWithOneLine(double cut)
    {
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        int length = cut switch
        {
            -1 => trace.Bytes.Length - 1,
            < 1 => (int)(trace.Bytes.Length * cut),
            _ => (int)cut,
        };
        using var dir = new TempDirectory("replay");
        await File.WriteAllBytesAsync(dir.File("cut.rwd"), trace.Bytes.AsMemory(0, length));

        ProcessResult r = await RewindCli.ReplayAsync("cut.rwd", dir.Path);
        Expect.NoStackTrace(r);
        if (!trace.Recorded.Stdout.StartsWith(r.Stdout, StringComparison.Ordinal))
            Assert.Fail($"replay of a trace cut at {length} of {trace.Bytes.Length} bytes printed what was never recorded\n{trace.Recorded}\n\n{r}");
        string[] err = r.StderrLines;
        bool oneLineAtMost = err.Length == 0 || (err.Length == 1 && err[0].StartsWith("rewind: ", StringComparison.Ordinal));
        bool explained = r.ExitCode == trace.Recorded.ExitCode || err.Length == 1;
        if (!oneLineAtMost || !explained)
            Assert.Fail($"a trace cut at {length} of {trace.Bytes.Length} bytes must replay to its last complete chunk or fail with one \"rewind: \" line\n{r}");
    }

    [Fact]
    public async Task ReplayOfATraceWithoutFooterSaysWhereItEnds()
    {
        // DESIGN.md section 6 and docs/trace-format.md, "Reading and recovery": a trace whose
        // recorder was killed has no footer; replay runs up to the last complete chunk and
        // says where the trace ends, in one line.
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        using var dir = new TempDirectory("replay");
        await File.WriteAllBytesAsync(dir.File("cut.rwd"), trace.Bytes.AsMemory(0, trace.Bytes.Length - 1));

        ProcessResult r = await RewindCli.ReplayAsync("cut.rwd", dir.Path);
        Expect.NoStackTrace(r);
        Expect.SameText("replay's stdout", trace.Recorded.Stdout, r.Stdout, trace.Recorded, r);
        if (r.StderrLines.Length != 1 || !r.StderrLines[0].StartsWith("rewind: ", StringComparison.Ordinal))
            Assert.Fail($"replay of a trace with its last byte cut off should say in one \"rewind: \" line that the footer is missing and where the trace ends\n{r}");
    }

    [Theory]
    [MemberData(nameof(Flips))]
    public async Task FlippedByteFailsWithOneLine(double where)
    {
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        byte[] bytes = (byte[])trace.Bytes.Clone();
        int offset = (int)(bytes.Length * where);
        bytes[offset] ^= 0x20;
        using var dir = new TempDirectory("replay");
        await File.WriteAllBytesAsync(dir.File("flipped.rwd"), bytes);

        ProcessResult r = await RewindCli.ReplayAsync("flipped.rwd", dir.Path);
        Expect.OneLineError(r);
        Assert.StartsWith(r.Stdout, trace.Recorded.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADamagedChunkOfEveryKindIsReportedInOneLine()
    {
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        List<TraceChunks.Chunk> chunks = TraceChunks.Walk(trace.Bytes);
        Assert.Contains(chunks, c => c.Kind == TraceChunks.Header);
        Assert.Contains(chunks, c => c.Kind == TraceChunks.Events);
        Assert.Contains(chunks, c => c.Kind == TraceChunks.Index);

        using var dir = new TempDirectory("replay");
        var failures = new List<string>();
        foreach (TraceChunks.Chunk chunk in chunks)
        {
            byte[] bytes = (byte[])trace.Bytes.Clone();
            long offset = chunk.PayloadOffset + (chunk.StoredLength / 2);
            bytes[offset] ^= 0x01;
            await File.WriteAllBytesAsync(dir.File("damaged.rwd"), bytes);
            // A checkpoint's process state is for a live resume of it alone, which must say so;
            // any other chunk is read by replay.
            ProcessResult r = chunk.Kind == TraceChunks.CheckpointProcess
                ? await ProcessRunner.RunAsync(RepoPaths.Rewind, ["check", "--checkpoint", chunk.Tag.ToString(System.Globalization.CultureInfo.InvariantCulture), "damaged.rwd"], dir.Path)
                : await RewindCli.ReplayAsync("damaged.rwd", dir.Path);
            Expect.NoStackTrace(r);
            string[] err = r.StderrLines;
            bool oneLine = err.Length == 1 && err[0].StartsWith("rewind: ", StringComparison.Ordinal);
            // A damaged index only costs the footer: the reader recovers the chunks by scanning
            // (ReplayOfATraceWithoutFooterSaysWhereItEnds checks it says so); any other damaged
            // chunk is data its reader needs.
            bool ok = chunk.Kind == TraceChunks.Index ? err.Length == 0 || oneLine : oneLine && r.ExitCode != 0;
            if (!ok)
                failures.Add($"{chunk.KindName} chunk {chunk.Number} at byte {chunk.Offset}, byte {offset} flipped:\n{r}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task NewerFormatVersionFailsWithOneLineNamingTheVersion()
    {
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        byte[] bytes = (byte[])trace.Bytes.Clone();
        Assert.Equal("RWNDTRC\0"u8.ToArray(), bytes[..8]);
        // The format: magic "RWNDTRC\0", then the format version as a little-endian u16.
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 999);
        using var dir = new TempDirectory("replay");
        await File.WriteAllBytesAsync(dir.File("future.rwd"), bytes);

        ProcessResult replay = await RewindCli.ReplayAsync("future.rwd", dir.Path);
        Expect.OneLineError(replay);
        Assert.Contains("999", replay.Stderr, StringComparison.Ordinal);
        Assert.Empty(replay.Stdout);
        Expect.OneLineError(await RewindCli.InfoAsync("future.rwd", dir.Path));
    }
}
