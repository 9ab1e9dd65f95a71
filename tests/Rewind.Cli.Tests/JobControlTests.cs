using System.Text.RegularExpressions;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// A program under <c>rewind record</c> or <c>rewind resume</c> in an interactive shell is the
/// shell's job as it would be alone: ^Z stops it and the shell says so, <c>fg</c> continues it, ^C
/// ends it with the status a shell shows (130). And <c>rewind resume --detach</c> leaves the job to
/// finish in the background.
/// </summary>
public sealed partial class JobControlTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task A_recorded_program_stops_on_ctrl_z_goes_on_with_fg_ends_on_ctrl_c_and_replays_so()
    {
        using var dir = new TempDirectory("jobs");
        using var shell = TerminalShell.Start(dir.Path);
        shell.Type($"{RepoPaths.Rewind} record -o job.rwd -- {fixture.Programs.PathOf("counter")}\n");
        int program = StopAndContinue(shell, "step 3\r\n", () => ProgramOf(shell));
        shell.Type(TerminalShell.CtrlC);

        Assert.Equal(130, shell.LastStatus());
        Assert.Equal('\0', ProcessTable.StateOf(program));
        var replayed = await RewindCli.ReplayAsync("job.rwd", dir.Path);
        Assert.Equal(130, replayed.ExitCode);
        Assert.Equal(Steps(shell.Screen), Steps(replayed.Stdout));
    }

    [Fact]
    public async Task A_resumed_job_stops_on_ctrl_z_goes_on_with_fg_and_ends_on_ctrl_c()
    {
        using var dir = new TempDirectory("jobs");
        var (hibernated, steps) = await HibernatedCounter(dir);
        using var shell = TerminalShell.Start(dir.Path);
        shell.Type($"{RepoPaths.Rewind} resume job.rwi\n");
        int job = StopAndContinue(shell, $"step {steps + 2}\r\n", () => ResumedPid(shell, hibernated));
        shell.Type(TerminalShell.CtrlC);

        Assert.Equal(130, shell.LastStatus());
        Assert.Equal('\0', ProcessTable.StateOf(job));
        Assert.DoesNotContain("done 150 steps", shell.Screen);
    }

    [Fact]
    public async Task A_detached_resume_prints_the_pid_and_the_job_finishes_in_the_background()
    {
        using var dir = new TempDirectory("jobs");
        var native = await ProcessRunner.RunAsync(fixture.Programs.PathOf("counter"), [], dir.Path);
        var (_, steps) = await HibernatedCounter(dir);

        // Its output goes to a file: the job outlives rewind, which must not wait for it.
        var resumed = await ProcessRunner.RunAsync("sh", ["-c", $"{RepoPaths.Rewind} resume --detach job.rwi > out.txt"], dir.Path);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        int pid = int.Parse(File.ReadLines(dir.File("out.txt")).First());
        Assert.NotEqual('\0', ProcessTable.StateOf(pid));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ProcessTable.StateOf(pid) is not ('\0' or 'Z'))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the detached job did not end");
            Thread.Sleep(20);
        }
        Assert.Equal(native.Stdout, string.Concat(native.Stdout.Split('\n')[..steps].Select(l => l + "\n")) + string.Concat(File.ReadLines(dir.File("out.txt")).Skip(1).Select(l => l + "\n")));
    }

    /// <summary>
    /// Waits for <paramref name="running"/> on the terminal, types ^Z, checks the shell reports the
    /// job stopped and its program (<paramref name="program"/>) is, then types <c>fg</c> and waits
    /// for the program to print again. Returns the program's pid.
    /// </summary>
    private static int StopAndContinue(TerminalShell shell, string running, Func<int> program)
    {
        int at = shell.WaitFor(running);
        shell.Type(TerminalShell.CtrlZ);
        at = shell.WaitFor("Stopped", at);
        int pid = program();
        Assert.True(ProcessTable.StateOf(pid) is 'T' or 't', $"process {pid} is in state {ProcessTable.StateOf(pid)}");
        shell.Type("jobs\n");
        at = shell.WaitFor("Stopped", at);
        shell.Type("fg\n");
        shell.WaitFor("step ", at);
        Assert.True(ProcessTable.StateOf(pid) is not ('T' or 't'), $"process {pid} is still stopped");
        return pid;
    }

    /// <summary>A counter job hibernated into job.rwi after its tenth step at least: its pid and the steps it made.</summary>
    private async Task<(int Pid, int Steps)> HibernatedCounter(TempDirectory dir)
    {
        using var job = LiveJob.Start(fixture.Programs.PathOf("counter"), [], dir.Path);
        job.WaitForLines(10);
        var hibernate = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["hibernate", job.Pid.ToString(), "-o", "job.rwi"], dir.Path);
        Assert.True(hibernate.ExitCode == 0, hibernate.ToString());
        job.WaitForExit();
        return (job.Pid, job.Lines.Count);
    }

    /// <summary>The pid the hibernated job runs under now: its own, or the one resume named.</summary>
    private static int ResumedPid(TerminalShell shell, int hibernated) =>
        Regex.Match(shell.Screen, $@"process {hibernated} resumed as pid (\d+)") is { Success: true } renamed ? int.Parse(renamed.Groups[1].Value) : hibernated;

    /// <summary>The recorded program under the shell's <c>rewind record</c> (whose checkpoints are its own children of that name).</summary>
    private static int ProgramOf(TerminalShell shell) =>
        ProcessTable.Descendants(shell.Pid).Single(p => ProcessTable.CommandOf(p) == "counter" && ProcessTable.CommandOf(ProcessTable.ParentOf(p)) != "counter");

    /// <summary>The counter's lines among what else a terminal shows.</summary>
    private static List<string> Steps(string text) => [.. StepLine().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"(?m)step \d+(?=\r?$)")]
    private static partial Regex StepLine();
}
