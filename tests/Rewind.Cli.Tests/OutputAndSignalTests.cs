using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// Replay shows exactly what reached the recording's stdout and stderr, in the order it got
/// there; signals the program sends to its group, or does not handle, or lets in only while it
/// waits, are recorded and replayed as they happened.
/// </summary>
public sealed class OutputAndSignalTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task RedirectedDuplicatedAndReusedDescriptorsReplayOnlyWhatReachedTheStreams()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Redirects);
        rt.AssertRecordedSameAsNative();
        Assert.DoesNotContain("never shown", rt.Recorded.Stdout + rt.Recorded.Stderr);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task ParentAndChildOutputReplaysInTheRecordedOrder()
    {
        for (int run = 0; run < 3; run++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.OutputOrder);
            Assert.Equal(40, rt.Recorded.StdoutLines.Length);
            rt.AssertReplayMatchesRecording();
        }
    }

    [Fact]
    public async Task ProgramSignallingItsOwnGroupLeavesTheRecorderStanding()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.GroupSignal);
        rt.AssertRecordedKilledLikeNative("Terminated");
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task WaitsWithTheirOwnSignalMaskReplayTheirHandlers()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.MaskedWait);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task IgnoredAndStoppingSignalsRestartTheWaitsTheyInterrupt()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.UnhandledSignals);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    /// <summary>
    /// Interval-timer signals into busy loops that make no syscall: SIGPROF where every register
    /// repeats at each pass (only the stack tells them apart), SIGALRM into register arithmetic.
    /// What they print last depends on the pass each signal interrupted.
    /// </summary>
    [Theory]
    [InlineData("prof_loop", "10 profiling signals handled, spin ran")]
    [InlineData("alarm_xorshift", "8 alarms handled")]
    public async Task TimerSignalsIntoBusyLoopsReplayWhereTheyLanded(string program, string firstLine)
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ByName(program));
        rt.AssertRecordedShapedLikeNative();
        Assert.Equal(firstLine, rt.Recorded.StdoutLines[0]);
        rt.AssertReplayMatchesRecording();
    }
}
