using Rewind.Cli.Tests.Harness;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// System V shared memory (tests/programs/sysv_shm.c): segments attached, aliased, detached and
/// inspected in one process, filled by a child before its parent attaches, and written in turn by
/// a parent and its child; from the recording's checkpoints too, and named where a process Rewind
/// does not record shares one.
/// </summary>
[Collection(nameof(ThreadTests))]
public sealed class SysvSharedMemoryTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task Segments_record_and_replay_with_every_view_and_a_child_writing_in_turn()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.SysvShm);
        rt.AssertRecordedSameAsNative();
        string[] seen =
        [
            "the second view, at another address, reads: written through the first view",
            "the first view reads: and through the second",
            "with SHM_REMAP, in its place: written through the first view",
            "with SHM_RND, rounded down: and through the second; the mapping's last page: the mapping's last page",
            "attached again: written through the first view / and through the second",
            "after the child: left by the child",
            "child, round 3: sum 408, last written by the parent in round 3",
            "in the end: sum 1228, last written by the child in round 3",
            "after the last detach, IPC_STAT: gone",
        ];
        Assert.All(seen, line => Assert.Contains(line, rt.Recorded.StdoutLines));
        rt.AssertReplayMatchesRecording();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Checkpoints_hold_a_segment_apart_from_the_run_and_replay_from_there(bool ownIpcNamespace)
    {
        // In an IPC namespace of its own, the first segment's id is 0, and so is its inode number
        // in /proc/PID/maps. unshare(CLONE_NEWIPC) needs CAP_SYS_ADMIN, which root has.
        if (ownIpcNamespace && Environment.UserName != "root")
            return;
        using var dir = new TempDirectory("sysv-shm-checkpoints");
        string trace = dir.File("shm.rwd");
        string program = fixture.Programs.PathOf(Scenarios.SysvShm.Program);
        string[] rounds = ["600", "20000"];
        ProcessResult native = await ProcessRunner.RunAsync(program, rounds, dir.Path);
        string[] record = [.. ownIpcNamespace ? ["unshare", "--ipc"] : Array.Empty<string>(),
            RepoPaths.Rewind, "record", "--checkpoint-interval", "0.02", "-o", trace, "--", program, .. rounds];
        ProcessResult recorded = await ProcessRunner.RunAsync(record[0], record[1..], dir.Path);
        // The recorder's snapshots attach no segment: the attach counts the program reads, and the
        // segment's end at its last detach after IPC_RMID, are the native run's.
        Expect.SameText("the recorded run's stdout", native.Stdout, recorded.Stdout, native, recorded);
        Expect.SameExit("the recorded run", 0, native, recorded);

        using var file = TraceFile.Open(trace);
        if (ownIpcNamespace)
            Assert.Equal(0, file.Events(0).Select(e => e.Event).OfType<SyscallEvent>().First(s => s.Name == "shmget").Result);
        var attached = file.Starts.Where(c => file.CheckpointLayout(c.Index).Regions.Any(r => MemoryRegion.NamesSysVSegment(r.Name))).ToList();
        var both = CheckpointReplay.OfTwoProcesses(file, attached).ToList();
        Assert.True(both.Count >= 2, $"{both.Count} checkpoints of both processes with a segment attached, of {file.Summary.Checkpoints.Count}");
        foreach (var start in new[] { attached[0], both[0], both[both.Count / 2], both[^1] }.Distinct())
        {
            // What the processes printed after the checkpoint: the sums each read, which they read
            // again only if the restored processes share the segment again.
            string after = CheckpointReplay.StdoutAfter(file, start.EventIndex);
            Assert.Contains("after the last detach, IPC_STAT: gone", after, StringComparison.Ordinal);
            await CheckpointReplay.AssertReplaysAsync(trace, start, after, dir.Path, recorded);
        }
    }

    [Fact]
    public async Task A_segment_also_attached_by_a_process_outside_the_recording_is_named()
    {
        using var dir = new TempDirectory("sysv-shm-outside");
        string trace = dir.File("outside.rwd");
        string program = fixture.Programs.PathOf(Scenarios.SysvShm.Program);
        ProcessResult native = await ProcessRunner.RunAsync(program, [], dir.Path);
        // Its children run unrecorded: the one writing the segment in turn with its parent shares it from outside.
        ProcessResult recorded = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "--no-children", "-o", trace, "--", program], dir.Path);
        Expect.SameText("the recorded run's stdout", native.Stdout, recorded.Stdout, native, recorded);
        Assert.Matches(@"^rewind: System V shared memory segment \d+ is also attached by a process Rewind does not record: what it writes there will not replay\n$", recorded.Stderr);
    }
}
