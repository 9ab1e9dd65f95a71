using Rewind.Cli.Tests.Harness;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// `rewind resume --checkpoint N TRACE`: a recording's checkpoint continues live, as a hibernation
/// image does (LiveTests, whose jobs these are, recorded with a checkpoint every 0.3 s). Resumed
/// from a checkpoint in the middle, a job must print what a replay from that checkpoint prints and
/// end as the recording ended. The files job (tests/programs/live/files.c) opens its input and a log
/// with O_APPEND, then a step every 20 ms reads a line, appends a line to the log and prints one:
/// resumed, it appends to the log the lines from that moment on.
/// </summary>
public sealed class ResumeCheckpointTests(ProgramsFixture fixture, Dotnet.LiveJitApp liveJit) : IClassFixture<ProgramsFixture>, IClassFixture<Dotnet.LiveJitApp>
{
    /// <summary>
    /// Jobs holding a pipe with bytes in it, threads waiting in the kernel, a deleted file, UNIX
    /// sockets with messages queued, POSIX timers (one run by glibc's helper thread, which waits in
    /// sigwaitinfo). Not the events job: which of several descriptors an epoll set reports first
    /// depends on when each became ready, and a resume makes them ready again in its own order.
    /// </summary>
    public static TheoryData<string> Jobs => ["pipe_self", "threads", "deleted", "unix_sockets", "posix_timers"];

    [Theory]
    [MemberData(nameof(Jobs))]
    public async Task A_recorded_job_resumed_from_a_checkpoint_prints_what_a_replay_from_it_prints(string name)
    {
        using var dir = new TempDirectory("resume-checkpoint");
        var recorded = Record(dir, [fixture.Programs.PathOf(name)]);
        int checkpoint = Middle(dir.File("app.rwd"));

        var replayed = await RewindCli.ReplayFromAsync("app.rwd", checkpoint, dir.Path);
        var resumed = await Rewind(dir, "resume", "--checkpoint", $"{checkpoint}", "app.rwd");

        Assert.True(resumed.ExitCode == recorded.ExitCode, resumed.ToString());
        Assert.Equal(replayed.Stdout, resumed.Stdout);
        Assert.NotEqual("", resumed.Stdout);
        Assert.EndsWith(resumed.Stdout, recorded.Stdout);
    }

    /// <summary>
    /// A .NET job (tests/programs/dotnet/LiveJit, W^X on as by default) resumed from a checkpoint
    /// before its step 100 JITs code it had not run yet (a lambda from step 100 on) through the
    /// views of its JIT's memfd made again, to the recording's end.
    /// </summary>
    [Fact]
    public async Task A_recorded_dotnet_job_resumed_from_a_checkpoint_jits_new_code_to_the_recordings_end()
    {
        using var dir = new TempDirectory("resume-checkpoint");
        var recorded = Record(dir, [liveJit.Dotnet, liveJit.Dll]);
        int checkpoint = Middle(dir.File("app.rwd"));

        var resumed = await Rewind(dir, "resume", "--checkpoint", $"{checkpoint}", "app.rwd");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.NotEqual("", resumed.Stdout);
        Assert.EndsWith(resumed.Stdout, recorded.Stdout);
        Assert.True(Step(resumed.StdoutLines[0]) < 100, resumed.StdoutLines[0]);
        Assert.StartsWith("digest ", resumed.StdoutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recorded_job_resumed_from_a_checkpoint_goes_on_live_from_that_moment_to_the_recordings_end()
    {
        using var dir = new TempDirectory("resume-checkpoint");
        var recorded = RecordFiles(dir, "150");
        string recordedLog = File.ReadAllText(dir.File("job.log"));
        int checkpoint = Middle(dir.File("app.rwd"));

        var check = await Rewind(dir, "check", "--checkpoint", $"{checkpoint}", "app.rwd");
        var replayed = await RewindCli.ReplayFromAsync("app.rwd", checkpoint, dir.Path);
        using var elsewhere = new TempDirectory("resume");
        var resumed = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["resume", "--checkpoint", $"{checkpoint}", dir.File("app.rwd")], elsewhere.Path);

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains($"checkpoint {checkpoint} of a recording", check.Stdout);
        Assert.True(resumed.ExitCode == recorded.ExitCode, resumed.ToString());
        // From that checkpoint's moment: what a replay from it prints, after some of the steps.
        Assert.Equal(replayed.Stdout, resumed.Stdout);
        int first = Step(resumed.StdoutLines[0]);
        Assert.True(first > 0, resumed.StdoutLines[0]);
        // To the recording's end, the input read from the offset it had reached.
        Assert.EndsWith(resumed.Stdout, recorded.Stdout);
        Assert.StartsWith("read ", resumed.StdoutLines[^1]);
        // The log had the recording's lines; the resumed job appended those from its moment on.
        string log = File.ReadAllText(dir.File("job.log"));
        Assert.StartsWith(recordedLog, log);
        string again = log[recordedLog.Length..];
        Assert.EndsWith(again, recordedLog);
        // The checkpoint came after a step's log line or after its printed line.
        Assert.InRange(Step(again.Split('\n')[0]), first, first + 1);
    }

    [Fact]
    public async Task A_changed_input_file_refuses_the_checkpoint_by_name_unless_allowed()
    {
        using var dir = new TempDirectory("resume-checkpoint");
        RecordFiles(dir, "60");
        int checkpoint = Middle(dir.File("app.rwd"));
        File.AppendAllText(dir.File("input.txt"), "a line added later\n");

        var check = await Rewind(dir, "check", "--checkpoint", $"{checkpoint}", "app.rwd");
        var refused = await Rewind(dir, "resume", "--checkpoint", $"{checkpoint}", "app.rwd");
        var allowed = await Rewind(dir, "resume", "--checkpoint", $"{checkpoint}", "--allow-changed-files", "app.rwd");

        Assert.Equal(1, check.ExitCode);
        Assert.Matches($@"refused: fd 3 \(.*input\.txt\) changed: \d+ bytes, \d+ at checkpoint {checkpoint} ", check.Stdout);
        Assert.Equal(1, refused.ExitCode);
        Assert.Matches($@"^rewind: app\.rwd cannot resume here: fd 3 \(.*input\.txt\) changed: \d+ bytes, \d+ at checkpoint {checkpoint} ", refused.Stderr);
        Assert.Single(refused.StderrLines);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }

    [Fact]
    public async Task A_descriptor_that_cannot_come_back_refuses_the_checkpoint_by_name_and_with_close_lost_is_closed()
    {
        using var dir = new TempDirectory("resume-checkpoint");
        // fd 7 is a pipe to another process (cat), which the recorded job inherits and never uses.
        RecordFiles(dir, "60", "bash", "-c", "exec 7> >(cat >/dev/null); exec \"$@\"", "job");
        int checkpoint = Middle(dir.File("app.rwd"));

        var refused = await Rewind(dir, "resume", "--checkpoint", $"{checkpoint}", "app.rwd");
        var closed = await Rewind(dir, "resume", "--checkpoint", $"{checkpoint}", "--close-lost", "app.rwd");

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"^rewind: app\.rwd cannot resume here: fd 7 \(a pipe to another process \(pipe:\[\d+\]\)\) cannot come back \(--close-lost resumes with it closed\)$", refused.Stderr.Trim());
        Assert.True(closed.ExitCode == 0, closed.ToString());
        Assert.Contains("fd 7 (a pipe to another process", closed.Stderr);
        Assert.Contains("is closed: reads see end of file, writes fail", closed.Stderr);
    }

    [Fact]
    public async Task What_has_no_checkpoint_to_resume_gets_a_one_line_error()
    {
        using var dir = new TempDirectory("resume-checkpoint");
        RecordFiles(dir, "20");
        var tree = await Rewind(dir, "record", "--checkpoint-interval", "0.05", "-o", "tree.rwd", "--", fixture.Programs.PathOf("tree_checkpoints"));
        Assert.True(tree.ExitCode == 0, tree.ToString());
        CheckpointSummary member;
        using (var trace = TraceFile.Open(dir.File("tree.rwd")))
            member = trace.Summary.Checkpoints.First(c => c.With != null);
        WithoutProcessStates(dir.File("app.rwd"), dir.File("old.rwd"));
        CutAfterHeader(dir.File("app.rwd"), dir.File("cut.rwd"));
        File.WriteAllBytes(dir.File("garbage.rwd"), new byte[4096]);

        var outOfRange = await Rewind(dir, "resume", "--checkpoint", "99", "app.rwd");
        var several = await Rewind(dir, "resume", "--checkpoint", $"{member.Index}", "tree.rwd");
        var old = await Rewind(dir, "check", "--checkpoint", "0", "old.rwd");
        var none = await Rewind(dir, "resume", "--checkpoint", "0", "cut.rwd");
        var garbage = await Rewind(dir, "resume", "--checkpoint", "0", "garbage.rwd");
        var noNumber = await Rewind(dir, "resume", "--checkpoint", "two", "app.rwd");

        foreach (var result in new[] { outOfRange, several, old, none, garbage })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Single(result.StderrLines);
        }
        Assert.Matches(@"^rewind: app\.rwd has no checkpoint 99: its checkpoints are 0 to \d+", outOfRange.Stderr);
        Assert.Contains($"checkpoint {member.Index} of tree.rwd is process {member.Process} of the moment of checkpoint {member.With}: rewind resume --checkpoint {member.With} resumes every process of that moment", several.Stderr);
        Assert.Contains("old.rwd was recorded before checkpoints kept what a live resume needs", old.Stderr);
        Assert.Contains("rewind replay --from-checkpoint 0 replays it", old.Stderr);
        Assert.Contains("cut.rwd has no checkpoints", none.Stderr);
        Assert.Contains("not a Rewind trace", garbage.Stderr);
        Assert.Equal(2, noNumber.ExitCode);
        Assert.StartsWith("rewind: --checkpoint takes a number or 'last', not 'two'", noNumber.Stderr);
        // An old trace still replays.
        var replayed = await RewindCli.ReplayFromAsync("old.rwd", 0, dir.Path);
        Assert.True(replayed.ExitCode == 0, replayed.ToString());
    }

    /// <summary>
    /// A moment of a parent and its child resumes as their tree: the child the parent's own child
    /// under its pid (its waitpid finds it), each pipe between them one pipe. waiting_parent.c: the
    /// parent waits in a read of a pipe its child writes halfway (and answers through another, which
    /// the child waits for), then in waitpid, while the child computes and prints. queued_pipe.c: the parent has written a line into the pipe and waits
    /// while the child naps before reading it: every moment has the line waiting in the pipe.
    /// From the first, a middle and the last such moment, it prints what a replay from there
    /// prints, to the recording's end and status.
    /// </summary>
    [Theory]
    [InlineData("waiting_parent")]
    [InlineData("queued_pipe")]
    public async Task A_checkpoint_of_a_parent_and_its_child_resumes_both_joined_by_their_pipe_to_the_recordings_end(string program)
    {
        using var dir = new TempDirectory("resume-tree");
        var recorded = await RecordTree(dir, program);

        foreach (int moment in Spread(Moments(dir.File("app.rwd"))))
        {
            var replayed = await RewindCli.ReplayFromAsync("app.rwd", moment, dir.Path);
            var resumed = await Rewind(dir, "resume", "--checkpoint", $"{moment}", "app.rwd");

            // clone3's set_tid needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, which root has, or a
            // pid namespace of their own (LivePidTests): without, the parent's waitpid names the
            // child's old pid, and the resume says so.
            if (resumed.Stderr.Contains("resumed as pid", StringComparison.Ordinal))
            {
                Assert.Contains("finds it by wait or waitpid(-1), not by waitpid(", resumed.Stderr);
                continue;
            }
            Assert.True(resumed.ExitCode == recorded.ExitCode, $"checkpoint {moment}: {resumed}");
            Assert.Equal(replayed.Stdout, resumed.Stdout);
            Assert.EndsWith(resumed.Stdout, recorded.Stdout);
            Assert.Contains("parent: child exited ", resumed.Stdout);
        }
    }

    /// <summary>
    /// A parent and its child adding to one counter in an anonymous MAP_SHARED page, the child
    /// reporting through a pipe at its end (tests/programs/tree_checkpoints.c): resumed from a
    /// moment of both, they share the page again (the counter ends at both processes' rounds
    /// together), the child's report comes through the pipe, and the parent's waitpid finds it.
    /// Which values each saw depends on how the two run live, so only the end is compared.
    /// </summary>
    [Fact]
    public async Task A_checkpoint_of_processes_sharing_memory_resumes_them_sharing_it_again()
    {
        using var dir = new TempDirectory("resume-tree");
        var recorded = await RecordTree(dir, "tree_checkpoints");

        foreach (int moment in Spread(Moments(dir.File("app.rwd"))))
        {
            var resumed = await Rewind(dir, "resume", "--checkpoint", $"{moment}", "app.rwd");

            Assert.True(resumed.ExitCode == 0, $"checkpoint {moment}: {resumed}");
            Assert.Equal(recorded.StdoutLines[^1], resumed.StdoutLines[^1]);
            Assert.Equal("counter: 3000, child exited 0", resumed.StdoutLines[^1]);
            Assert.StartsWith("from the pipe: child's last: ", resumed.StdoutLines[^2]);
        }
    }

    /// <summary>Records <paramref name="program"/> into app.rwd with a checkpoint every 0.02 s, its output a pipe.</summary>
    private async Task<ProcessResult> RecordTree(TempDirectory dir, string program)
    {
        var recorded = await Rewind(dir, "record", "--checkpoint-interval", "0.02", "-o", "app.rwd", "--", fixture.Programs.PathOf(program));
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        return recorded;
    }

    /// <summary>The checkpoints of <paramref name="trace"/> whose moment holds several processes, by the first of each.</summary>
    internal static List<int> Moments(string trace)
    {
        using var file = TraceFile.Open(trace);
        var moments = file.Summary.Checkpoints.Where(c => c.With != null).Select(c => c.With!.Value).Distinct().ToList();
        Assert.True(moments.Count >= 3, $"{moments.Count} moments of several processes");
        return moments;
    }

    /// <summary>The first, a middle and the last of <paramref name="items"/>.</summary>
    private static int[] Spread(List<int> items) => [items[0], items[items.Count / 2], items[^1]];

    /// <summary>
    /// Records <paramref name="steps"/> steps of the files job into app.rwd, its input input.txt and
    /// its log job.log; `rewind record` run by <paramref name="launcher"/> if any.
    /// </summary>
    private (string Stdout, int ExitCode) RecordFiles(TempDirectory dir, string steps, params string[] launcher)
    {
        File.WriteAllLines(dir.File("input.txt"), Enumerable.Range(0, 200).Select(i => $"input line {i} {new string('x', i % 80)}"));
        return Record(dir, [fixture.Programs.PathOf("files"), "input.txt", "job.log", steps], launcher);
    }

    /// <summary>
    /// Records <paramref name="program"/> into app.rwd with a checkpoint every 0.3 s; `rewind
    /// record` run by <paramref name="launcher"/> if any. It starts with no inherited descriptor,
    /// as from a terminal (<see cref="LiveJob"/>).
    /// </summary>
    private static (string Stdout, int ExitCode) Record(TempDirectory dir, string[] program, params string[] launcher)
    {
        string[] command = [.. launcher, RepoPaths.Rewind, "record", "--checkpoint-interval", "0.3", "-o", "app.rwd", "--", .. program];
        using var job = LiveJob.Start(command[0], command[1..], dir.Path);
        int exit = job.WaitForExit();
        Assert.True(exit == 0, job.Errors);
        return (job.Text, exit);
    }

    /// <summary>A checkpoint in the middle of the recording: after the job has printed, before it ends.</summary>
    private static int Middle(string trace)
    {
        using var file = TraceFile.Open(trace);
        var checkpoints = file.Summary.Checkpoints;
        Assert.True(checkpoints.Count >= 3, $"{checkpoints.Count} checkpoints");
        return checkpoints[checkpoints.Count / 2].Index;
    }

    /// <summary>The step a line of the job names: "step 12" printed, "step 12 read 30 bytes" logged.</summary>
    private static int Step(string line) => int.Parse(line.Split(' ')[1]);

    /// <summary>A copy of <paramref name="from"/> without the checkpoints' process states, as recorded before they were kept.</summary>
    private static void WithoutProcessStates(string from, string to)
    {
        using var reader = TraceReader.Open(from);
        using var writer = TraceWriter.Create(to, reader.Header);
        foreach (var chunk in reader.Chunks.Where(c => c.Kind != ChunkKind.CheckpointProcess))
            writer.WriteChunk(chunk.Kind, chunk.Tag, reader.ReadPayload(chunk));
        writer.Complete(reader.Summary.Span);
    }

    /// <summary>The first bytes of <paramref name="from"/>, up to the end of its header chunk: a recording killed before its first checkpoint.</summary>
    private static void CutAfterHeader(string from, string to)
    {
        byte[] trace = File.ReadAllBytes(from);
        var header = TraceChunks.Walk(trace)[0];
        File.WriteAllBytes(to, trace[..(int)(header.PayloadOffset + header.StoredLength)]);
    }

    private static Task<ProcessResult> Rewind(TempDirectory dir, params string[] args) => ProcessRunner.RunAsync(RepoPaths.Rewind, args, dir.Path);
}
