using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>Time read without syscalls (vDSO) and the time-stamp counter replay as recorded.</summary>
public sealed class ClockTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task ClockGettimeGettimeofdayAndTimeReplayTheRecordedValues()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Time);
        rt.AssertRecordedShapedLikeNative();
        Assert.Contains("loop_backwards: 0", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task TheVdsosOwnSymbolsAreFoundAndTheirCallsReplayTheRecordedValues()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Vdso);
        rt.AssertRecordedShapedLikeNative();
        Assert.Contains("found: clock_gettime 1, gettimeofday 1, time 1, getcpu 1, clock_getres 1", rt.Recorded.StdoutLines);
        Assert.Contains("results: 0 0 0 0 0", rt.Recorded.StdoutLines);
        Assert.Contains("[vdso] in /proc/self/maps at AT_SYSINFO_EHDR: yes", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task RdtscAndRdtscpReplayTheRecordedValues()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Rdtsc);
        rt.AssertRecordedShapedLikeNative();
        Assert.Contains("ordered: yes", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task TheProgramsOwnRdtscTrapFaultsAndReadsBackAsItSetIt()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.TscControl);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("after SIGSEGV: PR_GET_TSC = 0, PR_TSC_SIGSEGV", rt.Recorded.StdoutLines);
        Assert.Contains("faults: 2", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }
}
