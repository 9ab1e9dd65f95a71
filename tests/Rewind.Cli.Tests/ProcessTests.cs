using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>More than one process.</summary>
public sealed class ProcessTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task ThousandForkedChildrenRecordWithoutHangAndReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Fork1000);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("waited: 1000", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task ChildrenClonedUntracedRunAndExitWithTheirStatus()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.UntracedClone);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("clone3(CLONE_UNTRACED): reaped the child, exit 6", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task AChildStoppedAndContinuedIsSeenSoByWaitpidAndWaitid()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.StopContinue);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("after SIGCONT: the child, continued", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }
}
