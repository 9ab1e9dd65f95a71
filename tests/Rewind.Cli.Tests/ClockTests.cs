using Rewind.Cli.Tests.Harness;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// Time read without syscalls (vDSO), time reads the recorder answers at their entry and those it
/// leaves to the kernel, and the time-stamp counter replay as recorded.
/// </summary>
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
    public async Task EveryKindOfTimeReadGivesTheKernelsAnswerAndReplaysIt()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Clocks);
        // Each result (0, EFAULT, EINVAL) is in the shape: the recorder's answers and refusals are the kernel's.
        rt.AssertRecordedShapedLikeNative();
        // Each value checked against the kernel's own clocks (a timerfd's, getrusage's), natively and recorded.
        Assert.Contains("checks failed: 0", rt.Native.StdoutLines);
        Assert.Contains("checks failed: 0", rt.Recorded.StdoutLines);
        Assert.Contains("clock_gettime(MONOTONIC, read-only) = EFAULT", rt.Recorded.StdoutLines);
        Assert.Contains("gettimeofday(tv, 8) = EFAULT, tv written: yes", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task CheckpointsTakenAtTimeReadsAnsweredAtTheirEntryReplayFromThere()
    {
        using var dir = new TempDirectory("clocks");
        string trace = dir.File("clocks.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.Clocks.Program), trace, dir.Path, interval: "0.02", args: ["spin", "300"]);
        Assert.Contains(recorded.StdoutLines, l => l.StartsWith("spun ", StringComparison.Ordinal));

        using var file = TraceFile.Open(trace);
        // The loop reads CLOCK_MONOTONIC alone, each read answered at its entry: the checkpoints that fall due meanwhile are taken there.
        var atReads = file.Starts.Where(c => c.EventIndex > 0 && file.Events(c.EventIndex - 1).First().Event is SyscallEvent { Number: Nr.clock_gettime }).ToList();
        Assert.True(atReads.Count >= 2, $"{atReads.Count} checkpoints taken at a clock_gettime of {file.Summary.Checkpoints.Count}");
        await CheckpointReplay.AssertReplaysFromSpreadAsync(trace, file, atReads, dir.Path, recorded);
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
