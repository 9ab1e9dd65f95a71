using Rewind.Cli.Tests.Harness;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// Multi-threaded programs: recorded one thread at a time, replayed in the recorded order. The
/// racy ones are recorded several times: each recording's interleaving is its own, and its replay
/// must be that one.
/// </summary>
[Collection(nameof(ThreadTests))]
public sealed class ThreadTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    public static TheoryData<string> Programs() => ["thread", "thread_signal", "main_exit", "spin_flag", "spin_while_asleep", "blocking_buffer", "many_threads", "below_stack", "register_loop", "shared_code", "affinity"];

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task A_threaded_program_replays_as_recorded(string program)
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ByName(program));
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task Condition_variables_with_timed_waits_replay_as_recorded()
    {
        // Whether the consumer's timed waits ran out depends on timing: the same lines, not the same words.
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.CondVar);
        Assert.Equal(rt.Native.StdoutLines[0], rt.Recorded.StdoutLines[0]);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task A_loop_counting_in_memory_it_makes_readable_itself_replays_its_preemptions()
    {
        // Each preemption of the worker names a word in a page that earlier passes of its place
        // could not read: replay waits there for the worker's own mprotect instead of failing.
        for (int i = 0; i < 3; i++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.GrownRegion);
            rt.AssertRecordedSameAsNative();
            rt.AssertReplayMatchesRecording();
        }
    }

    [Theory]
    [InlineData("mutex_order")]
    [InlineData("racy_buffer")]
    [InlineData("spin_counter")]
    public async Task Each_recording_of_a_race_replays_its_own_interleaving(string program)
    {
        for (int i = 0; i < 10; i++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ByName(program));
            Assert.Equal(rt.Native.StdoutLines.Length, rt.Recorded.StdoutLines.Length);
            rt.AssertReplayMatchesRecording();
        }
    }

    [Fact]
    public async Task Writes_waiting_for_a_slow_stdout_reader_while_a_thread_spins_replay_as_recorded()
    {
        // Each write waits for room in the pipe; the recorder's preemptions interrupt it, the
        // kernel restarts it, and none may be logged as a place replay cannot find. Where the
        // preemptions land varies: three recordings.
        using var dir = new TempDirectory("slow");
        for (int i = 0; i < 3; i++)
        {
            string trace = dir.File($"slow{i}.rwd");
            ProcessResult recorded = await ProcessRunner.RunAsync("bash",
                ["-c", "\"$0\" record -o \"$1\" -- \"$2\" | (sleep 1; sha256sum)", RepoPaths.Rewind, trace, fixture.Programs.PathOf("slow_stdout")], dir.Path);
            Assert.Equal("256 chunks written\n", recorded.Stderr);
            ProcessResult replayed = await RewindCli.ReplayAsync(trace, dir.Path);
            Expect.SameExit("replay", 0, recorded, replayed);
            string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(replayed.Stdout)));
            Assert.Equal($"{digest}  -\n", recorded.Stdout);
        }
    }

    /// <summary>
    /// A signal that ends the process, taken by a spinning thread past its time slice while
    /// another waits for its turn (tests/programs/fatal_alarm.c): the thread dies before the
    /// other runs, as the log says, and the replay ends as the recording did. The other used to
    /// run on in the log, to its preemption, after the signal, and replay, where the signal ends
    /// the process at once, diverged there (6 recordings of 6).
    /// </summary>
    [Fact]
    public async Task A_signal_that_ends_the_process_in_a_spinning_thread_replays_as_recorded()
    {
        for (int run = 0; run < 3; run++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.FatalAlarm);
            rt.AssertRecordedKilledLikeNative("Alarm clock");
            rt.AssertReplayMatchesRecording();
        }
    }

    [Fact]
    public async Task A_recorder_killed_amid_threads_leaves_no_process_and_a_trace_that_replays_to_its_last_chunk()
    {
        using var dir = new TempDirectory("killed");
        string trace = dir.File("killed.rwd");
        // 100 000 threads, 50 at a time: far longer than the test lets it run.
        var start = new System.Diagnostics.ProcessStartInfo(RepoPaths.Rewind) { WorkingDirectory = dir.Path, RedirectStandardError = true };
        foreach (string a in (string[])["record", "-o", trace, "--", fixture.Programs.PathOf("many_threads"), "2000"])
            start.ArgumentList.Add(a);
        using var record = System.Diagnostics.Process.Start(start)!;
        // Once a few hundred events are in the file (the log reaches it every 250 ms), SIGKILL:
        // the recorder runs no code of its own, its threads stopped wherever they were.
        long events = 0;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); events < 500 && waited.Elapsed < TimeSpan.FromSeconds(30); Thread.Sleep(20))
            events = EventsIn(trace);
        Assert.True(events >= 500, $"the recording had {events} events in its file after 30 s");
        var program = ProcessTable.Descendants(record.Id);
        Assert.NotEmpty(program);
        Assert.Equal(0, ProcessTable.Kill(record.Id, 9));
        await record.WaitForExitAsync();
        var left = ProcessTable.LeftBehind(program);
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left.Select(p => $"{p.Pid} ({p.State})"))}");

        ProcessResult replay = await RewindCli.ReplayAsync(trace, dir.Path);
        Expect.NoStackTrace(replay);
        Assert.True(replay.StderrLines is [var line] && line.StartsWith("rewind: ", StringComparison.Ordinal) && line.Contains("interrupted", StringComparison.Ordinal),
            $"the replay of a trace whose recorder was killed replays to its last chunk and says so in one line\n{replay}");
    }

    /// <summary>The events a trace in the making has in its file so far.</summary>
    private static long EventsIn(string trace)
    {
        try
        {
            using var file = TraceFile.Open(trace);
            return file.Events().LongCount();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or RewindException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task Threads_racing_to_write_one_file_replay_every_write_as_recorded()
    {
        // Replay checks each write's bytes (a digest in its event): the racy lines of ten recordings
        // must each come out of their own replay write by write, with no false divergence.
        for (int i = 0; i < 10; i++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.RacyFile);
            Assert.Equal(rt.Native.StdoutLines[0].Split(',')[0], rt.Recorded.StdoutLines[0].Split(',')[0]);
            rt.AssertReplayMatchesRecording();
            using var trace = TraceFile.Open(rt.TracePath);
            var writes = trace.Events().Select(e => e.Event).OfType<SyscallEvent>().Where(s => s.Number is Nr.write or Nr.writev && s.Output == null).ToList();
            Assert.Equal(3000, writes.Count);
            Assert.All(writes, w => Assert.NotNull(w.Sent));
        }
    }

    [Fact]
    public async Task A_worker_that_crashes_takes_the_process_down_with_its_signal()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.WorkerCrash);
        Assert.Equal(Scenarios.Sigsegv, rt.Recorded.ExitCode);
        Assert.Equal(rt.Native.StdoutLines, rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task Checkpoints_taken_while_threads_run_restore_every_thread()
    {
        using var dir = new TempDirectory("thread-checkpoints");
        string binary = dir.File("thread_checkpoints");
        File.Copy(fixture.Programs.PathOf("thread_checkpoints"), binary);
        string trace = dir.File("threads.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(binary, trace, dir.Path);
        Assert.Contains("(handler on its alternate stack)", recorded.Stdout, StringComparison.Ordinal);

        using var file = TraceFile.Open(trace);
        // Checkpoints while the workers live: some of them waiting in the kernel (nanosleep, futex).
        var threaded = file.Summary.Checkpoints.Where(c => file.CheckpointLayout(c.Index).Threads.Count > 1).ToList();
        Assert.True(threaded.Count >= 2, $"{threaded.Count} checkpoints with threads of {file.Summary.Checkpoints.Count}");
        foreach (var start in threaded)
        {
            string after = CheckpointReplay.StdoutAfter(file, start.EventIndex);
            Assert.EndsWith(after, recorded.Stdout, StringComparison.Ordinal);
            await CheckpointReplay.AssertReplaysAsync(trace, start, after, dir.Path, recorded);
        }
    }

    [Fact]
    public async Task A_worker_that_execs_takes_the_main_threads_pid_and_replays_as_recorded()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ExecFromThread);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
        Assert.Contains("child: exec'd by a worker, main's pid, 1 thread(s)", rt.Recorded.Stdout, StringComparison.Ordinal);

        // A forked child and then the first process exec from a worker: each execve is the
        // worker's event, and the exec after it names the process, whose pid the worker took.
        using var file = TraceFile.Open(rt.TracePath);
        var events = file.Events().Select(e => e.Event).ToList();
        var pids = ProgramProcess.ListOf(file).Select(p => p.Pid).ToList();
        var execs = events.Select((e, i) => (Event: e, Index: i)).Where(x => x.Event is ExecEvent).ToList();
        Assert.Equal(2, execs.Count);
        foreach (var (exec, i) in execs)
        {
            var execve = Assert.IsType<SyscallEvent>(events[i - 1]);
            Assert.Equal("execve", execve.Name);
            Assert.DoesNotContain(execve.Tid.Value, pids);
            Assert.Contains(exec.Tid.Value, pids);
        }
        Assert.Equal(new[] { 4, 5 }, ProgramProcess.ListOf(file).Select(p => p.Exit?.Code ?? -1));
    }
}

/// <summary>
/// The thread tests run alone: under the load of the other tests their recordings switch threads
/// at many more places, which has shown divergences not found yet (docs/threads.md).
/// </summary>
[CollectionDefinition(nameof(ThreadTests), DisableParallelization = true)]
public sealed class ThreadTestsCollection;
