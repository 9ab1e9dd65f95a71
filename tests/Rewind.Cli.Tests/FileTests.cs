using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// Files and stdin: replay runs after the binary and every input file are deleted, so
/// everything the program read must come from the trace.
/// </summary>
public sealed class FileTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task DirectoryListingReplaysAfterTheDirectoryIsGone()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.DirList);
        rt.AssertRecordedShapedLikeNative();
        foreach (string name in Scenarios.ListedNames)
            Assert.Contains(rt.Recorded.StdoutLines, l => l.Contains($": {name} ", StringComparison.Ordinal));
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task StatLstatReadlinkReplayAfterTheFilesAreGone()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Stat);
        rt.AssertRecordedShapedLikeNative();
        Assert.Contains("readlink link: data.txt", rt.Recorded.StdoutLines);
        Assert.Contains(rt.Recorded.StdoutLines, l => l.StartsWith("stat data.txt: size=12 ", StringComparison.Ordinal));
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task FileContentsReplayAfterTheFileIsGone()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ReadFile);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task MappedFileReplaysAfterTheFileIsGone()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.MmapFile);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task PagesPastTheEndOfAMappedFileRaiseSigbusUntilItGrowsAndAgainWhenItShrinks()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.PastEof);
        rt.AssertRecordedSameAsNative();
        foreach (string mapping in new[] { "read-only private", "read-only shared", "private", "shared" })
        {
            Assert.Contains($"{mapping}: file bytes sum 1080403676, the rest of the last page sum 0", rt.Recorded.StdoutLines);
            Assert.Contains($"{mapping}, page past the end: SIGBUS", rt.Recorded.StdoutLines);
            Assert.Contains($"{mapping}, grown page: reads 103", rt.Recorded.StdoutLines);
        }
        Assert.Contains("byte 4500 through shared: 44, through private (which wrote that page): 13", rt.Recorded.StdoutLines);
        Assert.Contains("private, page 1 (written) after the file shrank: SIGBUS", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task StdinReplaysWithNothingOnStdin()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Stdin);
        rt.AssertRecordedSameAsNative();
        Assert.Contains($"bytes: {Scenarios.StdinBytes.Length}", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task AppendedLineIsWrittenOnceByRecordAndNeverByReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Append);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
        // Replay ran in the recording's directory: a re-executed write would show here.
        Assert.Equal(["appended by rewind test"], File.ReadAllLines(Path.Combine(rt.RecordingDirectory, "out.txt")));
        Assert.Equal(["out.txt"], Directory.GetFileSystemEntries(rt.RecordingDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ReplayCreatesRenamesAndUnlinksNothing()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.FsOps);
        rt.AssertRecordedSameAsNative();
        Assert.All(rt.Recorded.StdoutLines, l => Assert.EndsWith(": ok", l, StringComparison.Ordinal));
        rt.AssertReplayMatchesRecording();
        // The directory is as BeforeReplay left it: replay re-executed none of the changes.
        Assert.Equal(["doomed.txt", "old.txt"], Directory.GetFileSystemEntries(rt.RecordingDirectory).Select(Path.GetFileName).Order());
        Assert.Equal("old\n", File.ReadAllText(Path.Combine(rt.RecordingDirectory, "old.txt")));
        Assert.Equal("doomed\n", File.ReadAllText(Path.Combine(rt.RecordingDirectory, "doomed.txt")));
    }
}
