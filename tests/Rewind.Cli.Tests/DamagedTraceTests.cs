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
