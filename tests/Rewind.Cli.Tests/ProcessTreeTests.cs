using System.Text.Json;
using System.Text.RegularExpressions;
using Rewind.Cli.Tests.Harness;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// Every process of the program is recorded and replayed: the replay creates each where the
/// recording did, and <c>rewind ps</c> lists them. The programs are tests/programs' (fork,
/// posix_spawn, a crash in a child, memory shared after fork or through files, sessions and
/// process groups, a pre-fork server), and real tools: make -j2 of a C project (gcc, cc1, as,
/// ld), a shell script.
/// </summary>
[Collection(nameof(ThreadTests))]
public sealed class ProcessTreeTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task A_child_talking_through_a_pipe_is_recorded_and_replayed()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ForkPipe);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("parent: child exited with 7", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
        var processes = await PsAsync(rt.TracePath);
        Assert.Equal(2, processes.Count);
        Assert.Equal(processes[0].Pid, processes[1].Parent);
        Assert.Equal(7, processes[1].Exit?.Code);
        Assert.True(processes[1].Events > 0, "the child has events of its own");
    }

    [Fact]
    public async Task A_child_dying_of_SIGSEGV_is_listed_so_and_the_parent_goes_on()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ChildCrash);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("parent: child killed by signal 11 (SIGSEGV)", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
        var processes = await PsAsync(rt.TracePath);
        Assert.Equal("SIGSEGV", processes[1].Exit?.Name);
        Assert.Equal(0, processes[0].Exit?.Code);
        // The child's own stack at its end: where it crashed, four calls deep.
        ProcessResult stacks = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["stacks", "--pid", $"{processes[1].Pid}", rt.TracePath], Path.GetDirectoryName(rt.TracePath)!);
        Assert.Contains("SIGSEGV is about to be delivered", stacks.Stdout);
        Assert.Equal(4, stacks.StdoutLines.Count(l => l.Contains(" in crash_here ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Memory_shared_after_fork_replays_in_the_recorded_interleaving()
    {
        // The order in which parent and child took the lock is the output: replay must write the
        // shared page in the recorded order to print it again. Recorded a few times: it varies.
        for (int run = 0; run < 3; run++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.SharedCounter);
            Assert.Contains("counter: 400", rt.Recorded.StdoutLines);
            rt.AssertReplayMatchesRecording();
        }
    }

    [Fact]
    public async Task Memory_shared_through_a_mapped_file_and_shm_open_replays_every_hand_over()
    {
        // Parent and child take strict turns on a counter in a regular file mapped MAP_SHARED and
        // on one in a /dev/shm object: each line shows the value the other left, so the output
        // is the native run's only if every write reached the other process. The scheduling of
        // the turns varies from one recording to the next: recorded a few times.
        for (int run = 0; run < 3; run++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.SharedFileCounter);
            rt.AssertRecordedSameAsNative();
            Assert.Contains("file, child, round 299: counter 600, last written by the parent in round 299", rt.Recorded.StdoutLines);
            Assert.Contains("shm, parent, round 299: counter 600, last written by the child in round 299", rt.Recorded.StdoutLines);
            rt.AssertReplayMatchesRecording();
        }
    }

    [Fact]
    public async Task A_file_a_child_changes_with_syscalls_shows_in_each_of_its_parents_mappings()
    {
        // The parent reads the file through copies replay maps, through its stand-in, privately
        // and shared, and past its end while the child has not grown it yet.
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.MappedFileChildren);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("round 19, third page: shared SIGBUS, private SIGBUS, read-only private SIGBUS, read-only shared SIGBUS", rt.Recorded.StdoutLines);
        Assert.Contains("round 20, third page: shared round 20, private round 20, read-only private round 20, read-only shared round 20", rt.Recorded.StdoutLines);
        Assert.Contains("round 39: shared round 39 round 39 round 39; private parent's round 39 ........; read-only private round 39 parent's; read-only shared round 39 round 39",
            rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task Checkpoints_of_a_parent_and_child_sharing_a_changing_file_replay_from_there()
    {
        using var dir = new TempDirectory("mapped-file-children");
        string trace = dir.File("children.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.MappedFileChildren.Program), trace, dir.Path);
        Assert.Contains("child exited 0", recorded.StdoutLines);

        using var file = TraceFile.Open(trace);
        var both = CheckpointReplay.OfTwoProcesses(file, file.Starts).ToList();
        Assert.True(both.Count >= 2, $"{both.Count} checkpoints of both processes of {file.Summary.Checkpoints.Count}");
        // The parent's private mapping through its descriptor open for writing is saved as a view of
        // the file's stand-in, the file's bytes as they were then beside the pages it wrote.
        Assert.All(both, c => Assert.Contains(file.CheckpointLayout(c.Index).Regions, r => r.IsPrivateView));
        await CheckpointReplay.AssertReplaysFromSpreadAsync(trace, file, both, dir.Path, recorded, "child exited 0");
    }

    [Fact]
    public async Task Sessions_process_groups_and_waits_on_a_group_replay_as_recorded()
    {
        // setsid, setpgid into a sibling's group (and refused into another session's), killpg,
        // wait4 and waitid on a group, waitid WNOHANG, and the si_pid of SIGUSR1 and SIGCHLD:
        // each line is a relation between pids, the same in every run.
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Sessions);
        rt.AssertRecordedSameAsNative();
        Assert.DoesNotContain(": no", rt.Recorded.Stdout, StringComparison.Ordinal);
        Assert.Contains("moving C into A's group of another session: -1, Operation not permitted", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
        var processes = await PsAsync(rt.TracePath);
        Assert.Equal(4, processes.Count);
        Assert.All(processes.Skip(1), p => Assert.Equal(processes[0].Pid, p.Parent));
        Assert.Equal(["SIGTERM", "SIGKILL", "SIGKILL"], processes.Skip(1).Select(p => p.Exit?.Name));
    }

    [Fact]
    public async Task A_checkpoint_of_a_child_that_outlived_the_first_process_replays_to_the_first_process_status()
    {
        using var dir = new TempDirectory("parent-leaves");
        string trace = dir.File("leaves.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.ParentLeavesFirst.Program), trace, dir.Path, exit: 5);
        Assert.Equal("child: done", recorded.StdoutLines[^1]);

        using var file = TraceFile.Open(trace);
        var child = file.Starts.Last();
        Assert.NotEqual(file.ProcessId.Value, file.CheckpointLayout(child.Index).Moment?.Pid);
        ProcessResult replayed = await RewindCli.ReplayFromAsync(trace, child.Index, dir.Path);
        Expect.SameExit($"replay from checkpoint {child.Index}", 5, recorded, replayed);
    }

    [Fact]
    public async Task A_poll_and_a_sleep_going_on_after_a_childs_SIGCHLD_let_the_other_child_run_and_replay()
    {
        // The SIGCHLD the parent stops for cuts its poll short, and the kernel goes on with
        // restart_syscall: the recorder let no other process run while it waited (python's
        // subprocess pipelines took seconds, then diverged at a preemption on its syscall
        // instruction), and the revents it wrote into scratch memory never reached the program.
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.RestartPoll);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("poll: 1, revents 0x1", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task What_a_vfork_child_writes_into_its_parents_memory_replays()
    {
        // Beyond the stack (a global, the heap) too: the replayed child is a process of its own.
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.VforkWrites);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("note: written by the vfork child", rt.Recorded.StdoutLines);
        Assert.Contains("heap: heap written by the vfork child", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task A_checkpoint_taken_while_two_processes_live_replays_both_from_there()
    {
        using var dir = new TempDirectory("tree-checkpoints");
        string trace = dir.File("tree.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.TreeCheckpoints.Program), trace, dir.Path);
        Assert.Contains("counter: 3000, child exited 0", recorded.StdoutLines);

        using var file = TraceFile.Open(trace);
        var both = CheckpointReplay.OfTwoProcesses(file, file.Starts).ToList();
        Assert.True(both.Count >= 2, $"{both.Count} checkpoints of both processes of {file.Summary.Checkpoints.Count}");
        // What both processes printed after the checkpoint: the counter values they saw, which
        // they see again only if they share it again.
        await CheckpointReplay.AssertReplaysFromSpreadAsync(trace, file, both, dir.Path, recorded, "from the pipe: child's last: ");
        // The other process's image is restored with its moment's first, never alone.
        var other = file.Summary.Checkpoints.Single(c => c.With == both[0].Index);
        ProcessResult refused = await RewindCli.ReplayFromAsync(trace, other.Index, dir.Path);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"a replay starts from checkpoint {both[0].Index}", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkpoints_taken_while_the_parent_waits_in_the_kernel_replay_from_there()
    {
        // The parent waits in read, then in waitpid, while its child computes: each checkpoint of
        // both is forked from the parent in its wait, which then enters its call again.
        using var dir = new TempDirectory("waiting-parent");
        string trace = dir.File("waiting.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.WaitingParent.Program), trace, dir.Path);
        Assert.Contains("parent: child exited 61", recorded.StdoutLines);

        using var file = TraceFile.Open(trace);
        var events = file.Events().ToList();
        foreach (int call in new[] { Nr.read, Nr.wait4 })
        {
            var during = BothWhileWaiting(file, events, file.ProcessId.Value, call);
            Assert.True(during.Count >= 2, $"{during.Count} checkpoints of both processes while the parent waited in syscall {call}");
            await CheckpointReplay.AssertReplaysFromSpreadAsync(trace, file, during, dir.Path, recorded, "parent: child exited 61");
        }
    }

    [Fact]
    public async Task Checkpoints_taken_while_every_process_waits_replay_from_there()
    {
        // The parent reads a pipe that its child fills after six naps: while the child sleeps no
        // syscall ends, and the checkpoints come from the recorder's alarm, each forked from both
        // processes in their waits. Neither call sees a difference: no nap is cut short, the read
        // returns the child's line.
        using var dir = new TempDirectory("late-pipe");
        string trace = dir.File("late.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.LatePipe.Program), trace, dir.Path);
        Assert.Contains("parent: read \"late news after 6 naps\"", recorded.StdoutLines);
        Assert.DoesNotContain("cut short", recorded.Stdout, StringComparison.Ordinal);

        using var file = TraceFile.Open(trace);
        var events = file.Events().ToList();
        int child = events.Select(e => e.Event).OfType<NewProcessEvent>().Single().Pid;
        var napping = BothWhileWaiting(file, events, child, Nr.clock_nanosleep);
        Assert.True(napping.Count >= 2, $"{napping.Count} checkpoints of both processes while the child slept");
        await CheckpointReplay.AssertReplaysFromSpreadAsync(trace, file, napping, dir.Path, recorded, "parent: read \"late news after 6 naps\"");
    }

    /// <summary>
    /// The checkpoints of two processes taken while thread <paramref name="tid"/> waited in syscall
    /// <paramref name="call"/>: after the call's entry event, at or before its result.
    /// </summary>
    private static List<CheckpointSummary> BothWhileWaiting(TraceFile file, List<(long Index, TraceEvent Event)> events, int tid, int call)
    {
        var waits = events.Where(e => e.Event is SyscallEntryEvent entry && entry.Tid.Value == tid && entry.Number == call)
            .Select(e => (Entered: e.Index, Returned: events.First(r => r.Index > e.Index && r.Event is SyscallEvent s && s.Tid.Value == tid && s.Number == call).Index))
            .ToList();
        return [.. CheckpointReplay.OfTwoProcesses(file, file.Starts).Where(c => waits.Any(w => c.EventIndex > w.Entered && c.EventIndex <= w.Returned))];
    }

    [Fact]
    public async Task A_spawned_shell_pipeline_is_recorded_process_by_process()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.SpawnPipeline);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("words: 3", rt.Recorded.StdoutLines);
        Assert.Contains("spawning a missing program: No such file or directory", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
        var processes = await PsAsync(rt.TracePath);
        Assert.Contains(processes, p => p.CommandLine is ["sort"]);
        Assert.Contains(processes, p => p.CommandLine is ["tr", "a-z", "A-Z"]);
        Assert.Contains(processes, p => p.CommandLine is ["wc", "-w"]);
        // The spawned child that found no program exits 127 before any exec.
        Assert.Contains(processes, p => p.Exit?.Code == 127 && p.Parent == processes[0].Pid);
    }

    [Fact]
    public async Task A_prefork_server_replays_which_worker_served_each_request()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.PreforkServer);
        Assert.Contains("6 requests served, 3 workers ended by SIGTERM", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
        var processes = await PsAsync(rt.TracePath);
        Assert.Equal(4, processes.Count);
        Assert.All(processes.Skip(1), p => Assert.Equal("SIGTERM", p.Exit?.Name));
    }

    [Fact]
    public async Task A_daemon_that_outlives_its_parent_is_recorded_to_its_end()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.DaemonChild);
        rt.AssertRecordedSameAsNative();
        Assert.Equal("daemon: done", rt.Recorded.StdoutLines[^1]);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task A_daemon_still_running_is_named_while_the_recording_waits_and_a_ctrl_c_ends_it_and_the_recording()
    {
        using var dir = new TempDirectory("daemon");
        string trace = dir.File("daemon.rwd");
        using var job = LiveJob.Start(RepoPaths.Rewind, ["record", "-o", trace, "--", fixture.Programs.PathOf(Scenarios.DaemonChild.Program), "3600"], dir.Path);
        job.WaitForLines(3);
        job.WaitForError("; ^C ends it and the recording");
        var named = Regex.Match(job.Errors, @"the program's first process exited; the recording waits for the process it started, still running: (\d+) \(daemon_child\)");
        Assert.True(named.Success, job.Errors);
        Assert.Equal(0, ProcessTable.Kill(job.Pid, 2)); // SIGINT, as ^C on the terminal
        // The first process's status, and the trace complete.
        Assert.Equal(0, job.WaitForExit());
        Assert.Contains($"process {named.Groups[1].Value} (daemon_child) was still running when the recording was ended: it was killed", job.Errors);
        Assert.Equal(["daemon: in a session of its own", "parent: leaving the daemon running", "daemon: its parent has ended"], job.Lines);
        ProcessResult replayed = await RewindCli.ReplayAsync(trace, dir.Path);
        Expect.SameText("replay's stdout", job.Text, replayed.Stdout, replayed, replayed);
        Assert.Equal(0, replayed.ExitCode);
        Assert.Equal([null, "SIGKILL"], (await PsAsync(trace)).Select(p => p.Exit?.Name));
    }

    [PidNamespaceFact]
    public async Task A_pid_namespace_the_program_makes_is_recorded_with_its_init_and_replays()
    {
        // Its init vforks (the recorder's snapshot of the vfork child is forked inside the
        // namespace: its pid there is not ours), and its end kills the child it leaves.
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.PidNamespace);
        rt.AssertRecordedSameAsNative();
        Assert.Equal(["init: pid 1, parent 0", "init: /bin/true exited 0", "the namespace's init exited 7"], rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task A_program_run_by_another_leads_no_process_group_and_its_setsid_works()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ProcessGroup);
        rt.AssertRecordedSameAsNative();
        Assert.Equal(["leads its group: no, its session: no", "setsid: a session of its own"], rt.Recorded.StdoutLines[..2]);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task A_program_recorded_by_a_rewind_that_leads_its_group_leads_one_too_and_is_refused_setsid()
    {
        // As under a shell's job control, where both the program alone and rewind lead a group.
        using var dir = new TempDirectory("group-leader");
        string trace = dir.File("leader.rwd");
        ProcessResult recorded = await RewindCli.RecordAsync(trace, dir.Path, fixture.Programs.PathOf(Scenarios.ProcessGroup.Program), [], ownSession: true);
        Assert.Equal(["leads its group: yes, its session: no", "setsid: Operation not permitted", "now leads its group: yes, its session: no",
            "child: in its parent's group and session: yes"], recorded.StdoutLines);
        ProcessResult replayed = await RewindCli.ReplayAsync(trace, dir.Path);
        Expect.SameText("replay's stdout", recorded.Stdout, replayed.Stdout, recorded, replayed);
    }

    [Fact]
    public async Task A_child_doing_what_cannot_be_recorded_leaves_the_recording_and_the_rest_goes_on()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ChildLeaves);
        Expect.SameText("the recorded run's stdout", rt.Native.Stdout, rt.Recorded.Stdout, rt.Native, rt.Recorded);
        Expect.SameExit("the recorded run", rt.Native.ExitCode, rt.Native, rt.Recorded);
        Assert.Contains("child: vmsplice moved 11 bytes, read back 11: lent pages", rt.Recorded.StdoutLines);
        // Said once by the recorder; the replay prints the program's output alone.
        Assert.Matches(@"^rewind: process \d+ left the recording: the program called vmsplice .*; it ran on unrecorded\n$", rt.Recorded.Stderr);
        Expect.SameText("replay's stdout", rt.Recorded.Stdout, rt.Replayed.Stdout, rt.Recorded, rt.Replayed);
        Assert.Equal("", rt.Replayed.Stderr);
        Expect.SameExit("replay", 0, rt.Recorded, rt.Replayed);
        var processes = await PsAsync(rt.TracePath);
        Assert.Equal(2, processes.Count);
        Assert.Contains("vmsplice", processes[1].Left);
        Assert.Null(processes[1].Exit);
        Assert.Equal(0, processes[0].Exit?.Code);
    }

    [Fact]
    public async Task No_children_records_the_first_process_alone_as_before()
    {
        using var dir = new TempDirectory("record");
        using var traces = new TempDirectory("trace");
        string trace = traces.File("only-root.rwd");
        string program = fixture.Programs.PathOf(Scenarios.ForkPipe.Program);
        ProcessResult recorded = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "--no-children", "-o", trace, "--", program], dir.Path);
        Assert.Equal(0, recorded.ExitCode);
        Assert.Contains("parent: child exited with 7", recorded.StdoutLines);
        ProcessResult replayed = await RewindCli.ReplayAsync(trace, dir.Path);
        Expect.SameText("replay's stdout", recorded.Stdout, replayed.Stdout, recorded, replayed);
        Assert.Single(await PsAsync(trace));
    }

    [Fact]
    public async Task No_children_names_the_memory_an_unrecorded_child_shares_for_writing()
    {
        using var dir = new TempDirectory("record");
        string trace = dir.File("only-root.rwd");
        string program = fixture.Programs.PathOf(Scenarios.SharedCounter.Program);
        ProcessResult recorded = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "--no-children", "-o", trace, "--", program], dir.Path);
        Assert.Equal(0, recorded.ExitCode);
        Assert.Matches(@"rewind: process \d+, not recorded, shares memory with the program for writing \(/dev/zero \(deleted\) at 0x[0-9a-f]+\): what it writes there will not replay", recorded.Stderr);
    }

    [Fact]
    public async Task Make_j2_of_a_C_project_records_gcc_and_its_tools()
    {
        using var dir = new TempDirectory("make");
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Programs, "tools", "make_project")))
            File.Copy(file, dir.File(Path.GetFileName(file)));
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("make"), ["-j2"], inspect: async trace =>
        {
            var processes = await PsAsync(trace);
            string[] programs = [.. processes.Select(p => Path.GetFileName(p.CommandLine[0]))];
            foreach (string tool in new[] { "make", "gcc", "cc1", "as", "collect2", "ld" })
                Assert.Contains(tool, programs);
            Assert.Equal(7, processes.Count(p => p.CommandLine is [_, .., "-c", "-o", _, _] && p.CommandLine[0] == "gcc"));
            Assert.All(processes, p => Assert.Equal(0, p.Exit?.Code));
        });
        Assert.Equal("gcc -o app main.o part1.o part2.o part3.o part4.o part5.o part6.o", recorded.StdoutLines[^1]);
        Assert.True(File.Exists(dir.File("app")), "make built the program");
    }

    [Fact]
    public async Task A_shell_script_with_pipelines_and_substitutions_replays_as_recorded()
    {
        using var dir = new TempDirectory("script");
        File.Copy(Path.Combine(RepoPaths.Programs, "tools", "pipeline.sh"), dir.File("pipeline.sh"));
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("bash"), ["pipeline.sh"], inspect: async trace =>
        {
            var processes = await PsAsync(trace);
            Assert.Contains(processes, p => p.CommandLine is ["uniq", "-c"]);
            Assert.Contains(processes, p => p.CommandLine is ["sleep", "0.1"]);
        });
        Assert.Equal(["most common: 3 apple", "sum: 5050", "subshell in /", "background job: exit 0"], recorded.StdoutLines);
    }

    private static async Task<IReadOnlyList<PsEntry>> PsAsync(string trace)
    {
        ProcessResult ps = await RewindCli.PsAsync(trace, Path.GetDirectoryName(trace)!, json: true);
        Assert.True(ps.ExitCode == 0, ps.ToString());
        return JsonSerializer.Deserialize<List<PsEntry>>(ps.Stdout, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private sealed record PsEntry(int Pid, int? Parent, string[] CommandLine, PsExit? Exit, string? Left, long Events);

    private sealed record PsExit(int? Code, string? Name);
}
