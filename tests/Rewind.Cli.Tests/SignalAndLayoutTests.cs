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

    /// <summary>
    /// rdtsc and CPUID, trapped when recorded and replayed, raise a SIGSEGV the kernel forces,
    /// which unblocks it and resets its handler where the program blocked or ignored it: the
    /// program keeps its own mask and handler, and a SIGSEGV it raises stays pending or is ignored.
    /// </summary>
    [Fact]
    public async Task TrappedInstructionsLeaveTheProgramsSigsegvMaskAndHandlerAlone()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.TrapSignals);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("blocked, raised: SIGSEGV blocked 1, pending 1, SIG_DFL", rt.Recorded.StdoutLines);
        Assert.Contains("ignored, raised: SIGSEGV blocked 0, pending 0, SIG_IGN", rt.Recorded.StdoutLines);
        Assert.Contains("SA_RESETHAND, then blocked: SIGSEGV blocked 1, pending 0, SIG_DFL", rt.Recorded.StdoutLines);
        Assert.Contains("after exec, raised: SIGSEGV blocked 1, pending 1, SIG_IGN", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    /// <summary>
    /// Real-time signals queued while blocked all come, each with its value, in the kernel's
    /// order, where the recorder holds them back while it steps to a place and sends them again.
    /// </summary>
    [Fact]
    public async Task QueuedRealTimeSignalsComeOnceEachInTheirOrder()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.QueuedSignals);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("round 1: 12 came", rt.Recorded.StdoutLines);
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
