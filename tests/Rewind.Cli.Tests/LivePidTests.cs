using System.Text.RegularExpressions;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// Pids and tids across `rewind hibernate` and `rewind resume` (docs/hibernation.md, "Pids and
/// tids"). tests/programs/live/thread_ids.c prints at every turn of its two threads the pid, the tid of
/// the thread printing and what /proc names: resumed where its ids are kept, every line names the
/// ids of the lines before it and /proc agrees, as in an uninterrupted run. A user (nobody, from a
/// root test run) has them in a new pid namespace, as has root when they are taken; where no pid
/// namespace can be made, the job gets new ones. `rewind check` says which beforehand, and resume
/// says what it did.
/// </summary>
public sealed partial class LivePidTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    private const int LinesBefore = 10;

    [UserNamespaceFact]
    public async Task A_user_resumes_a_job_in_a_new_pid_namespace_where_it_keeps_its_pid_and_tids_to_the_end_of_an_uninterrupted_run()
    {
        using var dir = OpenTo("pids");
        string program = fixture.Programs.PathOf("thread_ids");
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);
        using var job = await Hibernated(dir, program);

        var check = await Nobody.RunAsync(dir, RepoPaths.Rewind, "check", "job.rwi");
        var resumed = await Nobody.RunAsync(dir, RepoPaths.Rewind, "resume", "job.rwi");

        Assert.Contains("pids: kept in a new pid namespace: rewind may not choose pids here without CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN\n", check.Stdout);
        Assert.Equal(5, native.ExitCode);
        Assert.True(resumed.ExitCode == native.ExitCode, resumed.ToString());
        int outside = int.Parse(Regex.Match(resumed.Stderr, $@"process {job.Pid} keeps its pid in a new pid namespace: from outside it is pid (\d+)\n").Groups[1].Value);
        Assert.NotEqual(job.Pid, outside);
        var ids = Turns(job.Text + resumed.Stdout);
        Assert.All(ids, turn => Assert.Equal((job.Pid, job.Pid, true), (turn.Pid, turn.Self, turn.TaskThere)));
        Assert.Equal(2, ids.Select(t => (t.Worker, t.Tid)).Distinct().Count());
        Assert.Equal(WithoutIds(native.Stdout), WithoutIds(job.Text + resumed.Stdout));
    }

    /// <summary>
    /// A moment of a parent and its child (tests/programs/waiting_parent.c: the parent reads its
    /// child's line from a pipe and waits for it by its pid; tree_checkpoints.c: both count in a
    /// shared page), resumed by a user: both keep their pids in one new pid namespace, where the
    /// parent's waitpid finds its child, the pipe and the page are shared again, handed in from
    /// rewind, whose /proc a process in the namespace may not open, and they end as recorded.
    /// </summary>
    [UserNamespaceTheory]
    [InlineData("waiting_parent")]
    [InlineData("tree_checkpoints")]
    public async Task A_user_resumes_a_moment_of_a_parent_and_its_child_in_one_new_pid_namespace_to_the_recordings_end(string program)
    {
        using var dir = OpenTo("pids-tree");
        var recorded = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "--checkpoint-interval", "0.02", "-o", "app.rwd", "--", fixture.Programs.PathOf(program)], dir.Path);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        File.SetUnixFileMode(dir.File("app.rwd"), (UnixFileMode)0x1a4);
        var moments = ResumeCheckpointTests.Moments(dir.File("app.rwd"));

        var resumed = await Nobody.RunAsync(dir, RepoPaths.Rewind, "resume", "--checkpoint", $"{moments[moments.Count / 2]}", "app.rwd");

        Assert.True(resumed.ExitCode == recorded.ExitCode, resumed.ToString());
        Assert.Equal(2, Regex.Count(resumed.Stderr, @"process \d+ keeps its pid in a new pid namespace: from outside it is pid \d+\n"));
        Assert.Equal(recorded.StdoutLines[^1], resumed.StdoutLines[^1]);
    }

    /// <summary>
    /// Root resumes a job left running, whose pid and tids are taken: in a new pid namespace,
    /// without a user namespace of its own. Detached, resume prints the pid outside, the one a user
    /// can signal, whose namespace pid (/proc/PID/status NSpid) is the job's own.
    /// </summary>
    [UnprivilegedFact]
    public async Task Root_resumes_a_job_whose_pid_is_taken_in_a_new_pid_namespace_and_detached_prints_its_pid_outside()
    {
        using var dir = new TempDirectory("pids");
        using var job = await HibernatedLeftRunning(dir);
        int pid = job.Pid;
        var before = Turns(job.Text);

        var check = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["check", "job.rwi"], dir.Path);
        // Detached, resume ends at once, the job going on with its standard streams: files here.
        var detached = await ProcessRunner.RunAsync("sh", ["-c", "exec \"$0\" resume --detach job.rwi >resumed.out 2>resumed.err", RepoPaths.Rewind], dir.Path);
        Assert.True(detached.ExitCode == 0, detached + File.ReadAllText(dir.File("resumed.err")));
        int outside = int.Parse(Regex.Match(File.ReadAllText(dir.File("resumed.err")), $@"process {pid} keeps its pid in a new pid namespace: from outside it is pid (\d+)\n").Groups[1].Value);
        string nsPid = NamespacePids(outside, outside);
        var threads = Directory.GetDirectories($"/proc/{outside}/task").Select(task => NamespacePids(outside, int.Parse(Path.GetFileName(task)))).ToList();
        job.Dispose();
        Assert.Equal(0, ProcessTable.Kill(outside, 9));
        Assert.Empty(ProcessTable.LeftBehind([outside]));

        Assert.Matches($@"pids: kept in a new pid namespace: {pid}, (\d+, )*\d+ are taken here\n", check.Stdout);
        Assert.Equal($"{outside} {pid}", nsPid);
        var tids = before.Select(t => t.Tid).Distinct().Prepend(pid).Order().ToList();
        Assert.Equal(tids, threads.Select(t => int.Parse(t.Split(' ')[1])).Order());
        string output = File.ReadAllText(dir.File("resumed.out"));
        Assert.Contains($"{outside}", output.Split('\n'));
        var after = Turns(output);
        Assert.NotEmpty(after);
        Assert.All(after, turn => Assert.Equal((pid, pid, true), (turn.Pid, turn.Self, turn.TaskThere)));
        Assert.All(after, turn => Assert.Equal(before.First(b => b.Worker == turn.Worker).Tid, turn.Tid));
    }

    /// <summary>
    /// A job resumed in a pid namespace, and hibernated again from outside it, keeps in its image the
    /// ids it knows itself by (the last of /proc/PID/status NSpid), not those rewind sees it by:
    /// resumed from that image, it has its first pid and tids still.
    /// </summary>
    [UnprivilegedFact]
    public async Task A_job_hibernated_again_from_its_pid_namespace_keeps_the_ids_it_knows_itself_by()
    {
        using var dir = new TempDirectory("pids");
        using var job = await HibernatedLeftRunning(dir);
        int pid = job.Pid;
        var tids = Turns(job.Text).Select(t => (t.Worker, t.Tid)).Distinct().ToList();

        // The job writes to the standard output it was resumed with, first.out, which it keeps when resumed again.
        int first = await ResumedDetached(dir, "job.rwi", pid, "first", turnsBefore: 0);
        var again = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["hibernate", $"{first}", "-o", "again.rwi"], dir.Path);
        Assert.True(again.ExitCode == 0, again.ToString());
        int turnsBefore = Turns(File.ReadAllText(dir.File("first.out"))).Count;
        int second = await ResumedDetached(dir, "again.rwi", pid, "second", turnsBefore);
        Assert.Equal(0, ProcessTable.Kill(second, 9));
        job.Dispose();

        var after = Turns(File.ReadAllText(dir.File("first.out")))[turnsBefore..];
        Assert.All(after, turn => Assert.Equal((pid, pid, true), (turn.Pid, turn.Self, turn.TaskThere)));
        Assert.All(after, turn => Assert.Contains((turn.Worker, turn.Tid), tids));
    }

    /// <summary>
    /// Resumes <paramref name="image"/> of job <paramref name="pid"/> detached, resume's own output
    /// in NAME.out and NAME.err, until first.out holds a few more turns than
    /// <paramref name="turnsBefore"/>; returns the job's pid outside its new pid namespace.
    /// </summary>
    private static async Task<int> ResumedDetached(TempDirectory dir, string image, int pid, string name, int turnsBefore)
    {
        var detached = await ProcessRunner.RunAsync("sh", ["-c", $"exec \"$0\" resume --detach {image} >{name}.out 2>{name}.err", RepoPaths.Rewind], dir.Path);
        string err = File.ReadAllText(dir.File($"{name}.err"));
        Assert.True(detached.ExitCode == 0, detached + err);
        var outside = Regex.Match(err, $@"process {pid} keeps its pid in a new pid namespace: from outside it is pid (\d+)\n");
        Assert.True(outside.Success, err);
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); Turns(File.ReadAllText(dir.File("first.out"))).Count < turnsBefore + 4; await Task.Delay(20))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"the job resumed from {image} printed no turns");
        }
        return int.Parse(outside.Groups[1].Value);
    }

    /// <summary>
    /// Where rewind may not choose pids and no pid namespace can be made (here a user namespace in
    /// which user namespaces are off, as a container may have it), the job gets new ids, and check
    /// and resume say why; it still runs to the end of an uninterrupted run.
    /// </summary>
    [UnprivilegedFact]
    public async Task Where_no_pid_namespace_can_be_made_a_job_gets_new_pids_and_check_and_resume_say_why()
    {
        using var dir = new TempDirectory("pids");
        string program = fixture.Programs.PathOf("thread_ids");
        var native = await ProcessRunner.RunAsync(program, [], dir.Path);
        using var job = await Hibernated(dir, program);
        // uid 0 mapped to itself, without capabilities, in a user namespace that may make no other.
        const string WithoutUserNamespaces = "echo 0 > /proc/sys/user/max_user_namespaces && exec setpriv --bounding-set=-all --inh-caps=-all \"$0\" \"$@\"";
        Task<ProcessResult> Rewind(params string[] args) =>
            ProcessRunner.RunAsync("unshare", ["--map-user=0", "--map-group=0", "sh", "-c", WithoutUserNamespaces, RepoPaths.Rewind, .. args], dir.Path);

        var check = await Rewind("check", "job.rwi");
        var resumed = await Rewind("resume", "job.rwi");

        const string Why = "rewind may not choose pids here without CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, and no pid namespace can be made here: user namespaces are off (/proc/sys/user/max_user_namespaces is 0)";
        Assert.Contains($"pids: new ones: {Why}\n", check.Stdout);
        Assert.True(resumed.ExitCode == native.ExitCode, resumed.ToString());
        int pid = int.Parse(Regex.Match(resumed.Stderr, $@"process {job.Pid} resumed as pid (\d+) \({Regex.Escape(Why)}\)\n").Groups[1].Value);
        var after = Turns(resumed.Stdout);
        Assert.All(after, turn => Assert.Equal((pid, pid, true), (turn.Pid, turn.Self, turn.TaskThere)));
        Assert.Equal(WithoutIds(native.Stdout), WithoutIds(job.Text + resumed.Stdout));
    }

    /// <summary>A directory user nobody may use: the job's working directory, and where the image goes.</summary>
    private static TempDirectory OpenTo(string purpose)
    {
        var dir = new TempDirectory(purpose);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ff);
        return dir;
    }

    /// <summary>Runs thread_ids as a job for 500 turns of each worker, and hibernates it into job.rwi after <see cref="LinesBefore"/> lines, left running: its ids stay taken.</summary>
    private async Task<LiveJob> HibernatedLeftRunning(TempDirectory dir)
    {
        var job = LiveJob.Start(fixture.Programs.PathOf("thread_ids"), ["500"], dir.Path);
        job.WaitForLines(LinesBefore);
        var hibernated = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["hibernate", $"{job.Pid}", "-o", "job.rwi", "--leave-running"], dir.Path);
        Assert.True(hibernated.ExitCode == 0, hibernated.ToString());
        return job;
    }

    /// <summary>Runs <paramref name="program"/> as a job and hibernates it into job.rwi, which others may read, after <see cref="LinesBefore"/> lines.</summary>
    private static async Task<LiveJob> Hibernated(TempDirectory dir, string program)
    {
        var job = LiveJob.Start(program, [], dir.Path);
        job.WaitForLines(LinesBefore);
        var hibernated = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["hibernate", job.Pid.ToString(), "-o", "job.rwi"], dir.Path);
        Assert.True(hibernated.ExitCode == 0, hibernated.ToString());
        Assert.Equal(137, job.WaitForExit());
        File.SetUnixFileMode(dir.File("job.rwi"), (UnixFileMode)0x1a4);
        return job;
    }

    /// <summary>A thread's ids in each pid namespace from ours down (/proc/PID/task/TID/status NSpid), space-separated.</summary>
    private static string NamespacePids(int pid, int tid) =>
        string.Join(' ', File.ReadLines($"/proc/{pid}/task/{tid}/status").First(l => l.StartsWith("NSpid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..]);

    private sealed record Turn(int Worker, int Pid, int Tid, int Self, bool TaskThere);

    /// <summary>The turns the job printed, with the ids each names.</summary>
    private static List<Turn> Turns(string output) =>
        [.. TurnLine().Matches(output).Select(m => new Turn(Number(m, "worker"), Number(m, "pid"), Number(m, "tid"), Number(m, "self"), m.Groups["task"].Value == "there"))];

    private static int Number(Match m, string group) => int.Parse(m.Groups[group].Value);

    /// <summary>The job's output with its ids left out, to compare with another run's.</summary>
    private static string WithoutIds(string output) => TurnLine().Replace(output, m => $"round {m.Groups["round"].Value} worker {m.Groups["worker"].Value}, its task is {m.Groups["task"].Value}");

    [GeneratedRegex(@"round (?<round>\d+) worker (?<worker>\d+) pid (?<pid>\d+) tid (?<tid>\d+) /proc/self (?<self>\d+), its task is (?<task>there|missing)")]
    private static partial Regex TurnLine();
}

/// <summary>
/// A fact that needs user nobody (<see cref="UnprivilegedFactAttribute"/>) to be able to make a user
/// namespace with a pid namespace and a /proc of its own: skipped, saying why, where the kernel or a
/// container refuses.
/// </summary>
public sealed class UserNamespaceFactAttribute : FactAttribute
{
    public UserNamespaceFactAttribute() => Skip = UserNamespaces.Unavailable;
}

/// <summary>A theory that needs what <see cref="UserNamespaceFactAttribute"/> does.</summary>
public sealed class UserNamespaceTheoryAttribute : TheoryAttribute
{
    public UserNamespaceTheoryAttribute() => Skip = UserNamespaces.Unavailable;
}

internal static class UserNamespaces
{
    /// <summary>Why user nobody cannot make a user namespace with a pid namespace and a /proc of its own here (unshare(1) tries); null where it can.</summary>
    public static readonly string? Unavailable = new UnprivilegedFactAttribute().Skip ?? Tried();

    private static string? Tried()
    {
        using var dir = new TempDirectory("userns");
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ff);
        var tried = Nobody.RunAsync(dir, "unshare", "--user", "--pid", "--mount", "--fork", "--mount-proc", "true").GetAwaiter().GetResult();
        return tried.ExitCode == 0 ? null : $"user nobody cannot make a user namespace with a pid namespace here: {tried.Stderr.Trim()}";
    }
}
