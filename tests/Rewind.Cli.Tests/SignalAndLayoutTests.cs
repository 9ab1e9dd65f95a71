using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>Signals arrive at the same points in replay, and memory is laid out at the same addresses.</summary>
public sealed class SignalAndLayoutTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task AlarmInterruptingSleepAndRaisedSignalsReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Signals);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task StackHeapMmapAndCodeAddressesMatchInReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Layout);
        rt.AssertRecordedShapedLikeNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task MaskIgnoredAndPendingSignalsSurviveExec()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ExecMask);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("handler: signal 10 delivered after exec", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task TheProgramStartsWithTheSignalMaskRewindWasStartedWith()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.StartMask);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("blocked at start: 10 15 37", rt.Recorded.StdoutLines);
        Assert.Contains("SIGUSR1 raised: pending", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }
}
