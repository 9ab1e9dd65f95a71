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

    /// <summary>
    /// Time reads logged in the program's page of time reads (TimeReadPage), three times over:
    /// threads spinning on them past their slices (the log fills, and the read that finds it full
    /// is a stop where another thread takes over), a 1 ms timer's handler reading too (signals
    /// arrive amid the log's code, where the recorder steps the thread on first), the calls that
    /// take the kernel's way, and a forked child. How many reads each made is the output.
    /// </summary>
    [Fact]
    public async Task TimeReadsLoggedInTheProgramReplayAsRecordedAmidThreadsSignalsAndAFork()
    {
        for (int run = 0; run < 3; run++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.TimeReads);
            Assert.Contains("across a page: 0, read", rt.Recorded.StdoutLines);
            Assert.Contains("a bad clock: -1, Invalid argument", rt.Recorded.StdoutLines);
            Assert.Contains("child ended 0", rt.Recorded.StdoutLines);
            rt.AssertReplayMatchesRecording();

            using var trace = TraceFile.Open(rt.TracePath);
            var reads = trace.Events(0).Select(e => e.Event).OfType<SyscallEvent>().Where(e => e.Number is Nr.clock_gettime or Nr.gettimeofday or Nr.time).ToList();
            Assert.True(reads.Count(TimeReadPage.IsLogged) > 100_000, $"{reads.Count(TimeReadPage.IsLogged)} of {reads.Count} time reads logged in the program");
            // The timezone and the timespec across a page took the kernel's way, as did each read that found the log full.
            Assert.Contains(reads, r => r.Number == Nr.gettimeofday && r.Args[1] != 0 && !TimeReadPage.IsLogged(r));
            Assert.True(reads.Count(r => !TimeReadPage.IsLogged(r)) > 100, "no read found the log full");
        }
    }

    [Fact]
    public async Task CheckpointsTakenAtTimeReadsAnsweredAtTheirEntryReplayFromThere()
    {
        using var dir = new TempDirectory("clocks");
        string trace = dir.File("clocks.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.Clocks.Program), trace, dir.Path, interval: "0.02", args: ["spin", "300"]);
        Assert.Contains(recorded.StdoutLines, l => l.StartsWith("spun ", StringComparison.Ordinal));

        using var file = TraceFile.Open(trace);
        // The loop reads CLOCK_MONOTONIC alone, logged in the program; each read that finds the log
        // full is a stop, answered at its entry: the checkpoints that fall due meanwhile are taken there.
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
