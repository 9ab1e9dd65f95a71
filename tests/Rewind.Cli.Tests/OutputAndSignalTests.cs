using Rewind.Cli.Tests.Harness;
using Rewind.Trace;

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
    public async Task A_shell_script_redirecting_its_output_replays_only_what_reached_the_streams()
    {
        using var dir = new TempDirectory("redirects");
        File.Copy(Path.Combine(RepoPaths.Programs, "tools", "redirects.sh"), dir.File("redirects.sh"));
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("bash"), ["redirects.sh"]);
        Assert.Equal(["to stdout", "ls failed quietly", "into a file", "through the saved stdout", "stdout again"], recorded.StdoutLines);
        Assert.Equal(["to stderr", "group to stderr", "into the log"], recorded.StderrLines);
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
    public async Task SignalsIgnoredWhereRewindStartsStayIgnoredForTheProgram()
    {
        // As a shell's trap '' (or nohup) leaves them to a program it runs: ignored across exec.
        // SIGPIPE is not compared: the .NET runtime ignores it itself, so rewind leaves it at its
        // default, and this test's own runner (.NET too) gives it ignored to a native run.
        using var dir = new TempDirectory("ignored");
        string trace = dir.File("ignored.rwd");
        const string Trap = "trap '' USR1 HUP; exec";
        ProcessResult native = await ProcessRunner.RunAsync("bash", ["-c", $"{Trap} grep SigIgn /proc/self/status"], dir.Path);
        ProcessResult recorded = await ProcessRunner.RunAsync("bash", ["-c", $"{Trap} \"$0\" record -o \"$1\" -- grep SigIgn /proc/self/status", RepoPaths.Rewind, trace], dir.Path);
        const ulong Pipe = 1UL << 12, UsrOneAndHup = 0x201;
        ulong Ignored(ProcessResult r) => Convert.ToUInt64(r.StdoutLines.Single().Split('\t')[1], 16) & ~Pipe;
        Assert.Equal(UsrOneAndHup, Ignored(native));
        Assert.Equal(Ignored(native), Ignored(recorded));
        ProcessResult replayed = await RewindCli.ReplayAsync(trace, dir.Path);
        Expect.SameText("replay's stdout", recorded.Stdout, replayed.Stdout, recorded, replayed);
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
    /// What they print last depends on the pass each signal interrupted. A loaded machine may
    /// deliver one more signal between the loop's last test and the timer's disarming: the count
    /// printed is at least the loop's bound.
    /// </summary>
    [Theory]
    [InlineData("prof_loop", "^(1[0-9]) profiling signals handled, spin ran$")]
    [InlineData("alarm_xorshift", "^([89]|1[0-9]) alarms handled$")]
    public async Task TimerSignalsIntoBusyLoopsReplayWhereTheyLanded(string program, string firstLine)
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ByName(program));
        rt.AssertRecordedShapedLikeNative();
        Assert.Matches(firstLine, rt.Recorded.StdoutLines[0]);
        rt.AssertReplayMatchesRecording();
    }

    /// <summary>
    /// Two timers' signals arrive everywhere in a busy loop and in each other's handlers, where the
    /// stack digest covers a signal frame: its last-exception words (the rdtsc trap in record, a
    /// breakpoint or step in replay, none after a restore) are cleared in both, so replay finds
    /// every signal from the start and from every checkpoint.
    /// </summary>
    [Fact]
    public async Task SignalsLandingInEachOthersHandlersReplayFromEveryCheckpoint()
    {
        using var dir = new TempDirectory("storm");
        string trace = dir.File("storm.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.SignalStorm.Program), trace, dir.Path, interval: "0.03");
        Assert.Contains("signals caught: 1", recorded.Stdout, StringComparison.Ordinal);
        using var file = TraceFile.Open(trace);
        Assert.True(file.Summary.Checkpoints.Count >= 2, $"{file.Summary.Checkpoints.Count} checkpoints");
        foreach (var start in file.Starts)
            await CheckpointReplay.AssertReplaysAsync(trace, start, CheckpointReplay.StdoutAfter(file, start.EventIndex), dir.Path, recorded);
    }
}
