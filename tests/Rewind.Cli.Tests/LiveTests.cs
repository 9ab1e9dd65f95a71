using System.Diagnostics;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// `rewind hibernate` and `rewind resume` on the jobs of tests/programs/live, one per resource a
/// running process holds: each is hibernated mid-run, must be gone then, and resumed (from
/// another directory) must finish exactly as an uninterrupted run does: the lines it printed
/// before and after, its exit status, the files it wrote.
/// </summary>
public sealed class LiveTests(ProgramsFixture fixture, Dotnet.LiveJitApp liveJit) : IClassFixture<ProgramsFixture>, IClassFixture<Dotnet.LiveJitApp>
{
    private const int LinesBefore = 10;

    public static TheoryData<string> Jobs => ["counter", "pipe_self", "timer", "deleted", "threads", "events", "unix_sockets", "fifo", "inotify", "sandboxed", "memfd_views", "kernel_state"];

    [Theory]
    [MemberData(nameof(Jobs))]
    public async Task A_hibernated_job_resumes_to_the_end_of_an_uninterrupted_run(string name)
    {
        using var dir = new TempDirectory("live");
        string program = fixture.Programs.PathOf(name);
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);

        var (before, resumed) = await HibernateAndResume(program, [], dir);

        Assert.Equal(native.Stdout, before + resumed.Stdout);
        Assert.Equal(native.ExitCode, resumed.ExitCode);
    }

    [Theory]
    [InlineData("python3", "job.py")]
    [InlineData("node", "job.js")]
    public async Task A_runtime_job_resumes_to_the_end_of_an_uninterrupted_run(string runtime, string script)
    {
        using var dir = new TempDirectory("live");
        File.Copy(Path.Combine(RepoPaths.Programs, "live", script), dir.File(script));
        string program = ProgramLookup.Resolve(runtime, Environment.GetEnvironmentVariable("PATH"));
        var native = await ProcessRunner.RunAsync(program, [script], dir.Path);

        var (before, resumed) = await HibernateAndResume(program, [script], dir);

        Assert.Equal(native.Stdout, before + resumed.Stdout);
        Assert.Equal(native.ExitCode, resumed.ExitCode);
    }

    /// <summary>
    /// With W^X (the default) the JIT writes code through one shared mapping of a sparse memfd of
    /// many GiB and runs it through another; without, it has no memfd. Either way the resumed job
    /// JITs new code and collects garbage (membarrier) to the end of an uninterrupted run.
    /// </summary>
    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public async Task A_dotnet_job_resumes_jitting_new_code_to_the_end_of_an_uninterrupted_run(string writeXorExecute, bool memfd)
    {
        using var dir = new TempDirectory("live");
        string env = ProgramLookup.Resolve("env", Environment.GetEnvironmentVariable("PATH"));
        string[] args = [$"DOTNET_EnableWriteXorExecute={writeXorExecute}", liveJit.Dotnet, liveJit.Dll];
        var native = await ProcessRunner.RunAsync(env, args, dir.Path);

        var (before, resumed) = await HibernateAndResume(env, args, dir);

        Assert.True(native.ExitCode == 0 && native.Stdout.Contains("step 149 value 149298\n", StringComparison.Ordinal), native.ToString());
        Assert.DoesNotContain("digest", before);
        Assert.Equal(native.Stdout, before + resumed.Stdout);
        Assert.Equal(0, resumed.ExitCode);
        var info = await Rewind(dir, "info", "job.rwi");
        Assert.Equal(memfd, info.Stdout.Contains("/memfd:doublemapper (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_job_resumes_at_its_input_offset_and_appends_to_its_log_without_loss_or_repeat()
    {
        using var dir = new TempDirectory("live");
        File.WriteAllLines(dir.File("input.txt"), Enumerable.Range(0, 200).Select(i => $"input line {i} {new string('x', i % 80)}"));
        string program = fixture.Programs.PathOf("files");
        var native = await ProcessRunner.RunAsync(program, ["input.txt", "native.log", "150"], dir.Path);

        var (before, resumed) = await HibernateAndResume(program, ["input.txt", "job.log", "150"], dir);

        Assert.Equal(native.Stdout, before + resumed.Stdout);
        Assert.Equal(File.ReadAllText(dir.File("native.log")), File.ReadAllText(dir.File("job.log")));
    }

    [Fact]
    public async Task Posix_timers_come_back_under_their_ids_for_the_time_they_had_left_and_check_and_info_list_them()
    {
        using var dir = new TempDirectory("live");
        string program = fixture.Programs.PathOf("posix_timers");
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);

        var (before, resumed) = await HibernateAndResume(program, [], dir);
        var check = await Rewind(dir, "check", "job.rwi");
        var info = await Rewind(dir, "info", "job.rwi");

        // The handlers count a signal whose si_value is not the timer's as wrong: a tick pending
        // when the job was hibernated must come back with its siginfo.
        Assert.Equal(native.Stdout, before + resumed.Stdout);
        Assert.Equal(native.ExitCode, resumed.ExitCode);
        Assert.Matches(@"timer: POSIX timer 1 on CLOCK_MONOTONIC, SIGRT0 with value 0x[0-9a-f]+, every 10 ms, [\d.]+ ms left\n", check.Stdout);
        Assert.Matches(@"timer: POSIX timer 2 on CLOCK_REALTIME, SIGUSR1 with value 0x0, 3[0-5]\d\d(\.\d+)? s left\n", check.Stdout);
        Assert.Contains("timer: POSIX timer 3 on CLOCK_BOOTTIME, no signal, disarmed\n", check.Stdout);
        Assert.Matches(@"timer: POSIX timer 4 on CLOCK_MONOTONIC, signal 32 with value 0x[0-9a-f]+ to thread \d+, [\d.]+ (ms|s) left\n", check.Stdout);
        Assert.Matches(@"timer: POSIX timer 5 on the CPU time of its own process, SIGRT1 with value 0x4d, every 20 ms, [\d.]+ ms left\n", check.Stdout);
        Assert.Contains("timers:      5\n", info.Stdout);
    }

    [Fact]
    public async Task A_job_keeps_its_working_directory_and_umask()
    {
        using var dir = new TempDirectory("live");
        Directory.CreateDirectory(dir.File("work"));
        string program = fixture.Programs.PathOf("workdir");
        var native = await ProcessRunner.RunAsync(program, ["work"], dir.Path);
        File.Delete(dir.File("work/made-here"));

        var (before, resumed) = await HibernateAndResume(program, ["work"], dir);

        Assert.Equal(native.Stdout, before + resumed.Stdout);
        Assert.Contains("with mode 640 in", resumed.Stdout);
    }

    [Fact]
    public async Task A_job_left_running_finishes_and_its_image_resumes_from_the_moment_it_was_taken()
    {
        using var dir = new TempDirectory("live");
        string program = fixture.Programs.PathOf("counter");
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);
        using var job = LiveJob.Start(program, [], dir.Path);
        job.WaitForLines(LinesBefore);
        int before = job.Text.Length;

        var hibernate = await Rewind(dir, "hibernate", job.Pid.ToString(), "-o", "job.rwi", "--leave-running");

        Assert.True(hibernate.ExitCode == 0, hibernate.ToString());
        Assert.Equal(native.ExitCode, job.WaitForExit());
        Assert.Equal(native.Stdout, job.Text);
        var resumed = await Rewind(dir, "resume", "job.rwi");
        Assert.Equal(native.ExitCode, resumed.ExitCode);
        // The image was taken while the command ran, after what the job had printed before it.
        Assert.EndsWith(resumed.Stdout, native.Stdout);
        Assert.True(native.Stdout.Length - resumed.Stdout.Length >= before, $"the image holds {native.Stdout.Length - resumed.Stdout.Length} bytes of output, {before} were printed before");
    }

    [Fact]
    public async Task A_resumed_job_hibernates_and_resumes_again()
    {
        using var dir = new TempDirectory("live");
        string program = fixture.Programs.PathOf("threads");
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);
        using var job = LiveJob.Start(program, [], dir.Path);
        job.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, job.Pid, "first.rwi");
        Assert.Equal(137, job.WaitForExit());

        using var firstResume = LiveJob.Start(RepoPaths.Rewind, ["resume", "first.rwi"], dir.Path);
        firstResume.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, firstResume.ChildPid(), "second.rwi");
        Assert.Equal(137, firstResume.WaitForExit());
        var second = await Rewind(dir, "resume", "second.rwi");

        Assert.Equal(native.Stdout, job.Text + firstResume.Text + second.Stdout);
        Assert.Equal(native.ExitCode, second.ExitCode);
    }

    [Fact]
    public async Task A_job_keeps_its_pid_where_the_kernel_allows_it_and_is_told_otherwise()
    {
        using var dir = new TempDirectory("live");
        using var job = LiveJob.Start(fixture.Programs.PathOf("threads"), [], dir.Path);
        job.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, job.Pid, "job.rwi");
        job.WaitForExit();

        using var resumed = LiveJob.Start(RepoPaths.Rewind, ["resume", "job.rwi"], dir.Path);
        resumed.WaitForLines(1);
        int pid = resumed.ChildPid();
        var tids = Directory.GetDirectories($"/proc/{pid}/task").Select(Path.GetFileName).ToList();
        Assert.Equal(0, resumed.WaitForExit());

        // clone3's set_tid needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, which root has.
        if (Environment.UserName == "root")
        {
            Assert.Equal(job.Pid, pid);
            Assert.Contains(job.Pid.ToString(), tids);
            Assert.Equal(4, tids.Count);
        }
        else
        {
            // In a pid namespace of its own where one can be made (LivePidTests), else under new ids.
            Assert.Matches($"process {job.Pid} (keeps its pid in a new pid namespace: from outside it is pid|resumed as pid) {pid}", resumed.Errors);
        }
    }

    /// <summary>
    /// A job whose main thread faults as soon as it runs again (tests/programs/live/crash_resumed.c),
    /// while resume still holds its 64 other threads stopped: its group exit kills them under
    /// ptrace, where they stay until their tracer reaps them, and the job's end with them. Resume
    /// reaps them and ends with the job's status as a shell shows it; nothing of the job is left.
    /// </summary>
    [Fact]
    public async Task A_job_that_crashes_while_it_is_let_go_ends_resume_with_its_status_and_leaves_nothing()
    {
        using var dir = new TempDirectory("live");
        using var job = LiveJob.Start(fixture.Programs.PathOf("crash_resumed"), [], dir.Path);
        job.WaitForLines(1);
        await HibernateOrFail(dir, job.Pid, "job.rwi");
        Assert.Equal(137, job.WaitForExit());

        var resumed = await Rewind(dir, "resume", "job.rwi");

        Assert.True(resumed.ExitCode == 128 + 11, resumed.ToString());
        Assert.Contains("Segmentation fault", resumed.Stderr);
        var renamed = System.Text.RegularExpressions.Regex.Match(resumed.Stderr, @"(?:from outside it is pid|resumed as pid) (\d+)");
        int pid = renamed.Success ? int.Parse(renamed.Groups[1].Value) : job.Pid;
        Assert.Equal('\0', ProcessTable.StateOf(pid));
    }

    [Fact]
    public async Task A_job_resumes_after_its_program_file_is_deleted()
    {
        using var dir = new TempDirectory("live");
        string program = dir.File("counter-copy");
        File.Copy(fixture.Programs.PathOf("counter"), program);
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);
        using var job = LiveJob.Start(program, [], dir.Path);
        job.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, job.Pid, "job.rwi");
        job.WaitForExit();
        File.Delete(program);

        var check = await Rewind(dir, "check", "job.rwi");
        var info = await Rewind(dir, "info", "job.rwi");
        var resumed = await Rewind(dir, "resume", "job.rwi");

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains($"a hibernation image of process {job.Pid}", info.Stdout);
        Assert.Contains("counter-copy is gone", check.Stdout);
        Assert.Equal(native.Stdout, job.Text + resumed.Stdout);
    }

    [Fact]
    public async Task A_job_on_a_terminal_resumes_on_another_in_the_raw_mode_it_had_set_and_is_told_of_its_size()
    {
        using var dir = new TempDirectory("live");
        string program = fixture.Programs.PathOf("terminal");
        // script(1) runs the command on a new pseudo-terminal, its output copied to ours as it came.
        string[] OnTerminal(string command) => ["-qfec", command, "/dev/null"];
        var native = await ProcessRunner.RunAsync("script", OnTerminal($"exec {program}"), dir.Path);
        using var job = LiveJob.Start("script", OnTerminal($"exec {program}"), dir.Path);
        job.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, job.ChildPid(), "job.rwi");
        job.WaitForExit();

        var resumed = await ProcessRunner.RunAsync("script", OnTerminal($"exec {RepoPaths.Rewind} resume job.rwi 2>resume.err"), dir.Path);

        Assert.True(resumed.ExitCode == 0, resumed + File.ReadAllText(dir.File("resume.err")));
        Assert.Contains("step 149 raw 1 vtime 3\n", native.Stdout);
        // rewind's .NET console sets the terminal's keypad mode (terminfo smkx) as it starts on one.
        Assert.Equal(native.Stdout.Replace("told of a resize: no", "told of a resize: yes"), job.Text + resumed.Stdout.Replace("\e[?1h\e=", ""));
    }

    [Fact]
    public async Task A_changed_input_file_refuses_the_resume_by_name_unless_allowed()
    {
        using var dir = new TempDirectory("live");
        File.WriteAllLines(dir.File("input.txt"), Enumerable.Range(0, 200).Select(i => $"line {i}"));
        using var job = LiveJob.Start(fixture.Programs.PathOf("files"), ["input.txt", "job.log", "150"], dir.Path);
        job.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, job.Pid, "job.rwi");
        job.WaitForExit();
        File.AppendAllText(dir.File("input.txt"), "a line added later\n");

        var check = await Rewind(dir, "check", "job.rwi");
        var refused = await Rewind(dir, "resume", "job.rwi");
        var allowed = await Rewind(dir, "resume", "--allow-changed-files", "job.rwi");

        Assert.Equal(1, check.ExitCode);
        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"^rewind: job\.rwi cannot resume here: fd 3 \(.*input\.txt\) changed: \d+ bytes, \d+ when hibernated", refused.Stderr);
        Assert.Single(refused.StderrLines);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }

    [Fact]
    public async Task A_tcp_connection_is_refused_by_name_and_with_close_lost_becomes_a_dead_descriptor_while_its_listener_comes_back()
    {
        using var dir = new TempDirectory("live");
        using var job = LiveJob.Start(fixture.Programs.PathOf("tcp"), [], dir.Path);
        job.WaitForLines(LinesBefore);

        var refused = await Rewind(dir, "hibernate", job.Pid.ToString(), "-o", "job.rwi");
        job.WaitForLines(job.Lines.Count + 3);
        await HibernateOrFail(dir, job.Pid, "job.rwi", "--close-lost");
        job.WaitForExit();
        var resumed = await Rewind(dir, "resume", "job.rwi");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("a TCP connection 127.0.0.1:", refused.Stderr);
        // Its listener is not refused: resume binds it again.
        Assert.DoesNotContain("listening", refused.Stderr);
        Assert.False(File.Exists(dir.File("job.rwi.partial")));
        Assert.Equal(3, resumed.ExitCode);
        Assert.Matches(@"^connection lost at step \d+$", resumed.Stdout.Trim());
        Assert.Contains("is closed: reads see end of file", resumed.Stderr);
    }

    [Fact]
    public async Task A_unix_connection_to_another_process_is_refused_by_name_and_with_close_lost_becomes_a_dead_descriptor()
    {
        using var dir = new TempDirectory("live");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(dir.File("outside.sock")));
        listener.Listen();
        using var job = LiveJob.Start(fixture.Programs.PathOf("unix_client"), [dir.File("outside.sock")], dir.Path);
        using var connection = await listener.AcceptAsync();
        job.WaitForLines(LinesBefore);

        var refused = await Rewind(dir, "hibernate", job.Pid.ToString(), "-o", "job.rwi");
        await HibernateOrFail(dir, job.Pid, "job.rwi", "--close-lost");
        job.WaitForExit();
        var resumed = await Rewind(dir, "resume", "job.rwi");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"fd 3 (a UNIX stream socket connected to {dir.File("outside.sock")})", refused.Stderr);
        Assert.Equal(3, resumed.ExitCode);
        Assert.Matches(@"^connection lost at step \d+$", resumed.Stdout.Trim());
        Assert.Contains("is closed: reads see end of file", resumed.Stderr);
    }

    [Fact]
    public async Task A_descriptor_queued_in_a_socket_is_refused_by_name_and_the_job_goes_on_untouched()
    {
        using var dir = new TempDirectory("live");
        string program = fixture.Programs.PathOf("unix_rights");
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);
        using var job = LiveJob.Start(program, [], dir.Path);
        job.WaitForLines(LinesBefore);

        var refused = await Rewind(dir, "hibernate", job.Pid.ToString(), "-o", "job.rwi");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("fd 4 (a UNIX stream socket connected within the process with descriptors queued in it (SCM_RIGHTS)", refused.Stderr);
        Assert.Contains("fd 3 (a UNIX stream socket connected within the process, the other end of fd 4)", refused.Stderr);
        // Peeking took nothing: the job still receives the message and the descriptor in it.
        Assert.Equal(0, job.WaitForExit());
        Assert.Equal(native.Stdout, job.Text);
    }

    /// <summary>
    /// A page the job shares with its child by the kernel alone (tests/programs/live/shared_page.c)
    /// cannot be shared again by a resumed job: refused by name, the job going on untouched; with
    /// --close-lost it comes back as the job's own page, as the image and resume say, and the
    /// counter its child kept in it stops.
    /// </summary>
    [Theory]
    [InlineData("anonymous", "shared anonymous memory")]
    [InlineData("sysv", "System V segment ")]
    [InlineData("memfd", "the memfd shared_page")]
    public async Task Memory_shared_with_another_process_is_refused_by_name_and_with_close_lost_comes_back_as_the_job_s_own(string how, string what)
    {
        using var dir = new TempDirectory("live");
        using var job = LiveJob.Start(fixture.Programs.PathOf("shared_page"), [how], dir.Path);
        job.WaitForLines(LinesBefore);
        int child = job.ChildPid();

        var refused = await Rewind(dir, "hibernate", job.Pid.ToString(), "-o", "job.rwi");
        job.WaitForLines(job.Lines.Count + 3);
        await HibernateOrFail(dir, job.Pid, "job.rwi", "--close-lost");
        Assert.Equal(137, job.WaitForExit());
        var check = await Rewind(dir, "check", "job.rwi");
        var resumed = await Rewind(dir, "resume", "job.rwi");

        Assert.Equal(1, refused.ExitCode);
        Assert.Single(refused.StderrLines);
        string range = @"the memory at [0-9a-f]+-[0-9a-f]+ \(" + System.Text.RegularExpressions.Regex.Escape(what) + @"[^)]*\)";
        Assert.Matches($@"holds what cannot come back: {range} is shared with process {child} \(shared_page\)\. Nothing was changed", refused.Stderr);
        Assert.False(File.Exists(dir.File("job.rwi.partial")));
        string copied = $@"{range} was shared with process {child} \(shared_page\): it comes back as the process's own, holding what it held when it was saved";
        Assert.Matches("degraded: " + copied, check.Stdout);
        Assert.Matches(copied, resumed.Stderr);
        Assert.Equal(3, resumed.ExitCode);
        // The step under way may still see the count the child made after the parent last looked, before the image.
        Assert.Matches(@"^(step \d+\n)?the counter stopped at step \d+$", resumed.Stdout.Trim());
    }

    /// <summary>
    /// A page shared through a file of /dev/shm (shm_open) is not refused: resume maps the file
    /// again, so the child, which went on counting in it while its parent was hibernated, and the
    /// resumed parent still share it to the end.
    /// </summary>
    [Fact]
    public async Task Memory_shared_through_a_file_is_not_refused_and_stays_shared_after_resume()
    {
        using var dir = new TempDirectory("live");
        string program = fixture.Programs.PathOf("shared_page");
        var native = await ProcessRunner.RunAsync(program, ["named"], dir.Path);

        var (before, resumed) = await HibernateAndResume(program, ["named"], dir);

        Assert.EndsWith("the counter moved at every step\n", native.Stdout);
        Assert.Equal(native.Stdout, before + resumed.Stdout);
        Assert.Equal(0, resumed.ExitCode);
    }

    /// <summary>
    /// A pseudo-terminal pair the job opened besides its terminal (tests/programs/live/pty_pair.c)
    /// is a device with state, not the job's terminal: both ends are refused by name, and with
    /// --close-lost are dead descriptors, while its terminal comes back as resume's own.
    /// </summary>
    [Fact]
    public async Task A_pseudo_terminal_pair_besides_its_terminal_is_refused_by_name_and_with_close_lost_becomes_dead_descriptors()
    {
        using var dir = new TempDirectory("live");
        string[] OnTerminal(string command) => ["-qfec", command, "/dev/null"];
        using var job = LiveJob.Start("script", OnTerminal($"exec {fixture.Programs.PathOf("pty_pair")}"), dir.Path);
        job.WaitForLines(LinesBefore);
        int pid = job.ChildPid();

        var refused = await Rewind(dir, "hibernate", pid.ToString(), "-o", "job.rwi");
        await HibernateOrFail(dir, pid, "job.rwi", "--close-lost");
        job.WaitForExit();
        var resumed = await ProcessRunner.RunAsync("script", OnTerminal($"exec {RepoPaths.Rewind} resume job.rwi 2>resume.err"), dir.Path);
        string notes = File.ReadAllText(dir.File("resume.err"));

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"holds what cannot come back: fd 3 \(the pseudo-terminal master of /dev/pts/(\d+)\); fd 4 \(the terminal /dev/pts/\1, not the process's own\)\. Nothing was changed", refused.Stderr);
        Assert.True(resumed.ExitCode == 3, resumed + notes);
        Assert.Matches(@"pty lost at step \d+", resumed.Stdout);
        Assert.Contains("fd 3 (the pseudo-terminal master of /dev/pts/", notes);
        Assert.Contains("is closed: reads see end of file", notes);
    }

    [Fact]
    public async Task A_job_traced_by_another_process_is_refused_naming_its_tracer_and_goes_on_untouched()
    {
        using var dir = new TempDirectory("live");
        using var job = LiveJob.Start(fixture.Programs.PathOf("traced"), [], dir.Path);
        job.WaitForLines(LinesBefore);
        int traced = job.ChildPid();

        var refused = await Rewind(dir, "hibernate", traced.ToString(), "-o", "job.rwi");

        Assert.Equal(1, refused.ExitCode);
        Assert.Single(refused.StderrLines);
        Assert.Contains($"process {traced} is already traced by process {job.Pid} (traced)", refused.Stderr);
        Assert.Equal(0, job.WaitForExit());
        Assert.EndsWith("step 149\n", job.Text);
    }

    [Fact]
    public async Task Bad_targets_and_bad_images_get_one_line_errors()
    {
        using var dir = new TempDirectory("live");
        var trace = await RewindCli.RecordAsync(dir.File("hello.rwd"), dir.Path, fixture.Programs.PathOf("hello"), []);
        Assert.Equal(0, trace.ExitCode);
        File.WriteAllBytes(dir.File("garbage.rwi"), new byte[4096]);

        var noProcess = await Rewind(dir, "hibernate", "999999999", "-o", "x.rwi");
        var recording = await Rewind(dir, "resume", "hello.rwd");
        var garbage = await Rewind(dir, "resume", "garbage.rwi");
        var missing = await Rewind(dir, "check", "missing.rwi");

        foreach (var result in new[] { noProcess, recording, garbage, missing })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Single(result.StderrLines);
        }
        Assert.Contains("there is no process 999999999", noProcess.Stderr);
        Assert.Contains("is a recording, not a hibernation image", recording.Stderr);
        Assert.Contains("no such trace: missing.rwi", missing.Stderr);

        // An image cut short, as a hibernation killed while it wrote leaves its .partial: inside its
        // Process chunk (before which it was once taken for a recording), inside its first page
        // chunk, and with every chunk but the footer.
        using var job = LiveJob.Start(fixture.Programs.PathOf("counter"), [], dir.Path);
        job.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, job.Pid, "job.rwi");
        byte[] image = File.ReadAllBytes(dir.File("job.rwi"));
        var chunks = TraceChunks.Walk(image);
        var process = chunks.Single(c => c.Kind == TraceChunks.Process);
        var pages = chunks.First(c => c.Kind == TraceChunks.CheckpointPages);
        long[] cuts = [process.PayloadOffset + 10, pages.PayloadOffset + (pages.StoredLength / 2), chunks.Single(c => c.Kind == TraceChunks.Index).Offset];
        foreach (long cut in cuts)
        {
            File.WriteAllBytes(dir.File($"cut-{cut}.rwi"), image[..(int)cut]);
        }
        image[pages.PayloadOffset + (pages.StoredLength / 2)] ^= 0x10;
        File.WriteAllBytes(dir.File("flipped.rwi"), image);

        foreach (string verb in new[] { "check", "resume" })
        {
            foreach (long cut in cuts)
            {
                var cutShort = await Rewind(dir, verb, $"cut-{cut}.rwi");
                Expect.OneLineError(cutShort);
                Assert.Contains($"cut-{cut}.rwi cannot resume: writing the image was interrupted: the image ends after", cutShort.Stderr);
            }
            var flipped = await Rewind(dir, verb, "flipped.rwi");
            Expect.OneLineError(flipped);
            Assert.Contains($"chunk {pages.Number} (CheckpointPages at byte {pages.Offset}) is damaged: checksum mismatch", flipped.Stderr);
        }
    }

    /// <summary>
    /// `rewind hibernate` killed while it writes the image of a job with much memory: the job goes
    /// on (the kernel lets it go with its tracer), and so would the snapshot the image is written
    /// from, which holds the job's registers, but it dies with rewind instead of running the job a
    /// second time: every line is printed once. The .partial left is refused in one line.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hibernation_killed_while_it_writes_leaves_the_job_to_run_once_and_no_snapshot(bool leaveRunning)
    {
        using var dir = new TempDirectory("live");
        var (native, started) = await BallastUnderWay(dir);
        using var job = started;

        using var hibernate = HibernationUnderWay(dir, job, leaveRunning);
        var snapshots = ProcessTable.Children(job.Pid);
        Assert.Equal(0, ProcessTable.Kill(hibernate.Pid, 9));
        hibernate.WaitForExit();

        Assert.False(File.Exists(dir.File("job.rwi")), "the image was complete before rewind was killed");
        Assert.NotEmpty(snapshots);
        Assert.Equal(native.ExitCode, job.WaitForExit());
        Assert.Equal(native.Stdout, job.Text);
        var left = ProcessTable.LeftBehind(snapshots);
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left.Select(p => $"{p.Pid} ({p.State})"))}");
        var partial = await Rewind(dir, "resume", "job.rwi.partial");
        Expect.OneLineError(partial);
        Assert.Contains("job.rwi.partial cannot resume: writing the image was interrupted", partial.Stderr);
    }

    /// <summary>
    /// `rewind hibernate` stopped by ^C or a kill (SIGTERM) while it writes the image of a job with
    /// much memory: one line says so, the job goes on untouched (stopped only while its state was
    /// read), and nothing is left of the image or of its snapshot, not even a zombie in the job.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task A_hibernation_interrupted_while_it_writes_says_so_and_leaves_the_job_untouched_and_nothing_behind(int signal)
    {
        using var dir = new TempDirectory("live");
        var (native, started) = await BallastUnderWay(dir);
        using var job = started;

        using var hibernate = HibernationUnderWay(dir, job, leaveRunning: false);
        Assert.Equal(0, ProcessTable.Kill(hibernate.Pid, signal));

        Assert.Equal(1, hibernate.WaitForExit());
        Assert.Equal($"rewind: process {job.Pid} was not hibernated: interrupted. It goes on untouched, and the partial image was removed", hibernate.Errors.Trim());
        Assert.Empty(Directory.GetFiles(dir.Path, "job.rwi*"));
        Assert.Empty(ProcessTable.Children(job.Pid));
        Assert.Equal(native.ExitCode, job.WaitForExit());
        Assert.Equal(native.Stdout, job.Text);
    }

    /// <summary>The native run of a job with 384 MB of memory, and the job started again, once it has printed <see cref="LinesBefore"/> lines.</summary>
    private async Task<(ProcessResult Native, LiveJob Job)> BallastUnderWay(TempDirectory dir)
    {
        string program = fixture.Programs.PathOf("ballast");
        string[] args = ["384"];
        var native = await ProcessRunner.RunAsync(program, args, dir.Path);
        var job = LiveJob.Start(program, args, dir.Path);
        job.WaitForLines(LinesBefore);
        return (native, job);
    }

    /// <summary>Starts `rewind hibernate` of <paramref name="job"/>, and returns once a quarter of the job's memory is in the partial image: its pages are being written.</summary>
    private static LiveJob HibernationUnderWay(TempDirectory dir, LiveJob job, bool leaveRunning)
    {
        var hibernate = LiveJob.Start(RepoPaths.Rewind, ["hibernate", job.Pid.ToString(), "-o", "job.rwi", .. leaveRunning ? ["--leave-running"] : Array.Empty<string>()], dir.Path);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(dir.File("job.rwi.partial")) || new FileInfo(dir.File("job.rwi.partial")).Length < 96 << 20)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !File.Exists(dir.File("job.rwi")), $"rewind hibernate wrote no image, or all of it:\n{hibernate.Errors}");
            Thread.Sleep(1);
        }
        return hibernate;
    }

    /// <summary>
    /// A recorder's snapshots, which it writes checkpoints from while the program runs on, die
    /// with it as the program does: killed while it writes a checkpoint of a program with much
    /// memory, it leaves no process running the program on.
    /// </summary>
    [Fact]
    public void A_recorder_killed_while_it_writes_a_checkpoint_leaves_no_snapshot_running()
    {
        using var dir = new TempDirectory("live");
        using var record = LiveJob.Start(RepoPaths.Rewind, ["record", "--checkpoint-interval", "0.2", "-o", "job.rwd", "--", fixture.Programs.PathOf("ballast"), "256"], dir.Path);
        record.WaitForLines(LinesBefore);
        // Half the program's memory is in the file: a checkpoint's pages are being written.
        var clock = Stopwatch.StartNew();
        while (new FileInfo(dir.File("job.rwd")).Length < 128 << 20)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the recording holds {new FileInfo(dir.File("job.rwd")).Length} bytes after 60 s:\n{record.Errors}");
            Thread.Sleep(1);
        }
        var processes = ProcessTable.Descendants(record.Pid);
        Assert.Equal(0, ProcessTable.Kill(record.Pid, 9));
        record.WaitForExit();

        Assert.True(processes.Count >= 2, $"the program and its snapshots: {string.Join(", ", processes)}");
        var left = ProcessTable.LeftBehind(processes);
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left.Select(p => $"{p.Pid} ({p.State})"))}");
    }

    /// <summary>
    /// A disk that fills while the image is written (a small tmpfs, mounted in a mount namespace
    /// of rewind's own, which needs root): one line says so, no partial file is left, and the job
    /// runs on untouched, its snapshot reaped (no zombie left in it).
    /// </summary>
    [Fact]
    public async Task A_disk_that_fills_while_the_image_is_written_is_one_line_and_the_job_runs_on_untouched()
    {
        if (Environment.UserName != "root")
        {
            return;
        }
        using var dir = new TempDirectory("live");
        Directory.CreateDirectory(dir.File("small"));
        string program = fixture.Programs.PathOf("ballast");
        // 400 steps of 20 ms: the job must outlive the attempt, which a loaded CI machine made
        // last over the 3 s of the default 150 (the job was gone when its children were listed).
        string[] args = ["64", "400"];
        var nativeRun = ProcessRunner.RunAsync(program, args, dir.Path);
        using var job = LiveJob.Start(program, args, dir.Path);
        job.WaitForLines(LinesBefore);

        // 16 MiB hold the job's libraries and the first of its 64 MiB of memory; what is left in the file system is listed after.
        const string Script = "mount -t tmpfs -o size=16m rewind-test small && \"$0\" hibernate \"$1\" -o small/job.rwi; status=$?; ls -A small; exit $status";
        var full = await ProcessRunner.RunAsync("unshare", ["--mount", "sh", "-c", Script, RepoPaths.Rewind, job.Pid.ToString()], dir.Path);

        Expect.OneLineError(full);
        Assert.Contains($"process {job.Pid} was not hibernated: No space left on device", full.Stderr);
        Assert.Equal("", full.Stdout);
        Assert.Empty(ProcessTable.Children(job.Pid));
        var native = await nativeRun;
        Assert.Equal(native.ExitCode, job.WaitForExit());
        Assert.Equal(native.Stdout, job.Text);
    }

    [Fact]
    public async Task A_guarded_job_killed_like_a_power_cut_resumes_from_its_last_image_repeating_at_most_one_interval()
    {
        using var dir = new TempDirectory("live");
        File.WriteAllLines(dir.File("input.txt"), Enumerable.Range(0, 200).Select(i => $"input line {i}"));
        string program = fixture.Programs.PathOf("files");
        var native = await ProcessRunner.RunAsync(program, ["input.txt", "native.log", "150"], dir.Path);
        using var run = LiveJob.Start(RepoPaths.Rewind, ["run", "--checkpoint-every", "300ms", "-o", "job.rwi", "--", program, "input.txt", "job.log", "150"], dir.Path);
        run.WaitForError("image 2 of process");
        int job = run.ChildPid();

        // The power cut: the job and rewind run die at once, with no chance to write anything.
        Process.GetProcessById(job).Kill();
        run.Dispose();
        var resumed = await Rewind(dir, "resume", "job.rwi");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(native.StdoutLines[^1], resumed.StdoutLines[^1]);
        string[] expected = File.ReadAllLines(dir.File("native.log")), log = File.ReadAllLines(dir.File("job.log"));
        Assert.Equal(expected, log.Distinct());
        // The steps between the last image and the kill ran twice, one after the other: no more than an interval's worth (15 steps of 20 ms).
        var repeated = log.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => Array.IndexOf(expected, g.Key)).Order().ToList();
        Assert.True(repeated.Count <= 30, $"{repeated.Count} steps ran twice");
        Assert.Equal(repeated, Enumerable.Range(repeated.FirstOrDefault(), repeated.Count));
    }

    /// <summary>Starts the job, hibernates it after <see cref="LinesBefore"/> lines, checks it is gone, and resumes it from another directory.</summary>
    private static async Task<(string Before, ProcessResult Resumed)> HibernateAndResume(string program, string[] args, TempDirectory dir)
    {
        using var job = LiveJob.Start(program, args, dir.Path);
        job.WaitForLines(LinesBefore);
        await HibernateOrFail(dir, job.Pid, "job.rwi");
        Assert.Equal(137, job.WaitForExit());
        using var elsewhere = new TempDirectory("resume");
        var resumed = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["resume", dir.File("job.rwi")], elsewhere.Path);
        return (job.Text, resumed);
    }

    private static async Task HibernateOrFail(TempDirectory dir, int pid, string image, params string[] options)
    {
        var result = await Rewind(dir, ["hibernate", pid.ToString(), "-o", image, .. options]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static Task<ProcessResult> Rewind(TempDirectory dir, params string[] args) => ProcessRunner.RunAsync(RepoPaths.Rewind, args, dir.Path);
}
