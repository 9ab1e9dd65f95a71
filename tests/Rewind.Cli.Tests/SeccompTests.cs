using Rewind.Cli.Tests.Harness;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// Issue #11: a program's own seccomp filters (tests/programs/seccomp.c) are recorded and replayed
/// as they act natively — an errno, a SIGSYS trap, a TRACE without a tracer, fork denied, TSYNC to
/// a thread, strict mode, a filter kept across exec — and a checkpoint of the filtered process,
/// taken by a fork that the program's filter denies it, restores with the filters.
/// </summary>
public sealed class SeccompTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task The_programs_own_filters_act_as_natively_in_record_and_replay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Seccomp);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("mode before: 0", rt.Recorded.StdoutLines);
        Assert.Contains("strict child: killed by signal 9", rt.Recorded.StdoutLines);
        Assert.Contains("worker: getppid -1 errno Permission denied", rt.Recorded.StdoutLines);
        Assert.Contains("main: getuid -1 errno Function not implemented", rt.Recorded.StdoutLines);
        Assert.Contains("main: getpriority 4242, trapped syscall 140", rt.Recorded.StdoutLines);
        Assert.Contains("exec'd: getppid -1 errno Permission denied", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task Checkpoints_of_the_filtered_process_restore_its_filters()
    {
        using var dir = new TempDirectory("seccomp");
        string trace = dir.File("seccomp.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.Seccomp.Program), trace, dir.Path, interval: "0.05");

        using var file = TraceFile.Open(trace);
        var filtered = file.Starts.Where(c => file.CheckpointLayout(c.Index).Filters.Count > 0)
            .Select(start => (start, after: CheckpointReplay.StdoutAfter(file, start.EventIndex))).ToList();
        // A checkpoint may fall after the exec'd image's last write on a slow machine; the filtered
        // loop before the exec is long enough for several that replay the filter's answers after exec.
        int beforeExec = filtered.Count(c => c.after.Contains("exec'd: getpriority 4242", StringComparison.Ordinal));
        Assert.True(beforeExec >= 2, $"{beforeExec} checkpoints with the program's filter before its exec of {file.Summary.Checkpoints.Count}");
        foreach (var (start, after) in filtered)
            await CheckpointReplay.AssertReplaysAsync(trace, start, after, dir.Path, recorded);
    }
}
