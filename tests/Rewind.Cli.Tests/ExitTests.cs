using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>How a program ends -- exit status, SIGSEGV, abort() -- is recorded and replayed like a shell shows it.</summary>
public sealed class ExitTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task NonZeroExitStatusIsPassedThroughAndReplayed()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Exit3);
        rt.AssertRecordedSameAsNative();
        Assert.Equal(3, rt.Recorded.ExitCode);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task SegfaultIsReportedLikeAShellAndReplayed()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Crash);
        rt.AssertRecordedKilledLikeNative("Segmentation fault");
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task AbortIsReportedLikeAShellAndReplayed()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Abort);
        rt.AssertRecordedKilledLikeNative("Aborted");
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task DemoCrashesAndReplaysTheSameCrash()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Demo);
        rt.AssertRecordedKilledLikeNative("Segmentation fault", sameStdout: false);
        Assert.Equal(4, rt.Recorded.StdoutLines.Length);
        rt.AssertReplayMatchesRecording();
    }
}
