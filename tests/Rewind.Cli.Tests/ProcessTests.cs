using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>More than one thread or process.</summary>
public sealed class ProcessTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task SecondThreadIsRefusedWithAOneLineError()
    {
        using var dir = new TempDirectory("record");
        File.Copy(fixture.Programs.PathOf("thread"), dir.File("thread"));
        ProcessResult r = await RewindCli.RecordAsync(dir.File("thread.rwd"), dir.Path, "./thread", []);
        Expect.NoStackTrace(r);
        if (r.ExitCode == 0 || r.StderrLines.Length != 1 || !r.StderrLines[0].StartsWith("rewind: ", StringComparison.Ordinal)
            || !r.StderrLines[0].Contains("thread", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"expected a non-zero exit status and one stderr line \"rewind: ...\" naming the thread\n{r}");
    }

    [Fact]
    public async Task ThousandForkedChildrenRecordWithoutHangAndReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Fork1000);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("waited: 1000", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }
}
