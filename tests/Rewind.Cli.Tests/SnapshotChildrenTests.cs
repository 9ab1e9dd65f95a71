using System.Globalization;
using System.Text.RegularExpressions;
using Rewind.Cli.Tests.Harness;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// Each checkpoint forks a snapshot of the program: a child of it that it is never told of, which
/// the recorder ends once a later checkpoint is written. Ended, it is a zombie child of the
/// program until reaped, and the program reaps it, by a wait4 injected before its next snapshot:
/// a long recording leaves no trail of them (tests/programs/snapshot_children.c).
/// </summary>
public sealed class SnapshotChildrenTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task A_recording_leaves_no_trail_of_ended_snapshots_in_the_program()
    {
        using var dir = new TempDirectory("snapshot-children");
        string trace = dir.File("children.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.SnapshotChildren.Program), trace, dir.Path, interval: "0.02", args: ["500"]);
        using (var file = TraceFile.Open(trace))
        {
            Assert.True(file.Summary.Checkpoints.Count >= 10, $"{file.Summary.Checkpoints.Count} checkpoints");
        }
        var counts = Regex.Match(Assert.Single(recorded.StdoutLines), @"^children (\d+), zombies (\d+)$");
        Assert.True(counts.Success, recorded.Stdout);
        // Before: one zombie per checkpoint. Now at most the one ended since the last checkpoint,
        // and one ended while the program's last checkpoint was written.
        Assert.True(int.Parse(counts.Groups[2].Value, CultureInfo.InvariantCulture) <= 2, recorded.Stdout);

        var replayed = await RewindCli.ReplayAsync(trace, dir.Path);
        Assert.Equal(0, replayed.ExitCode);
        Assert.Equal(recorded.Stdout, replayed.Stdout);
    }
}
