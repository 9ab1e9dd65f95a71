using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// What a new user meets first: each verb explains itself, the default trace location is said
/// once, paths that are wrong get one line that says what to do, and -o never eats a file that
/// is not a trace.
/// </summary>
public sealed class UsageTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    public static TheoryData<string> Verbs() => ["record", "replay", "info", "ps", "dump", "stacks", "gdbserver", "dap"];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_prints_its_usage_options_and_an_example(string verb)
    {
        using var dir = new TempDirectory("help");
        foreach (string flag in new[] { "--help", "-h" })
        {
            ProcessResult r = await ProcessRunner.RunAsync(RepoPaths.Rewind, [verb, flag], dir.Path);
            Assert.Equal(0, r.ExitCode);
            Assert.StartsWith($"usage: rewind {verb}", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("example", r.Stdout, StringComparison.Ordinal);
            Assert.Empty(r.Stderr);
        }
    }

    [Fact]
    public async Task The_general_help_says_where_traces_go_and_what_latest_is()
    {
        using var dir = new TempDirectory("help");
        ProcessResult r = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["--help"], dir.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("XDG_DATA_HOME", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("'latest'", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("rewind VERB --help", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_help_after_the_separator_is_the_programs()
    {
        using var dir = new TempDirectory("help");
        ProcessResult r = await RewindCli.RecordAsync(dir.File("echo.rwd"), dir.Path, "/bin/echo", ["to", "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("to --help\n", r.Stdout);
    }

    [Fact]
    public async Task Recording_without_o_says_where_the_trace_went_and_info_names_the_file()
    {
        using var dir = new TempDirectory("default-location");
        string hello = fixture.Programs.PathOf("hello");
        ProcessResult recorded = await ProcessRunner.RunAsync("env", [$"XDG_DATA_HOME={dir.Path}", RepoPaths.Rewind, "record", "--", hello], dir.Path);
        Assert.Equal(0, recorded.ExitCode);
        string expected = Path.Combine(dir.Path, "rewind", "hello-0.rwd");
        Assert.Equal([$"rewind: saving the recording to {expected}"], recorded.StderrLines);

        ProcessResult info = await ProcessRunner.RunAsync("env", [$"XDG_DATA_HOME={dir.Path}", RepoPaths.Rewind, "info"], dir.Path);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains($"trace:       {expected}\n", info.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_trace_paths_get_one_line_saying_what_is_wrong()
    {
        using var dir = new TempDirectory("paths");
        foreach (string verb in new[] { "replay", "info", "dump" })
        {
            ProcessResult missing = await ProcessRunner.RunAsync(RepoPaths.Rewind, [verb, "nope.rwd"], dir.Path);
            Expect.OneLineError(missing);
            Assert.Contains("no such trace: nope.rwd", missing.Stderr, StringComparison.Ordinal);
            ProcessResult directory = await ProcessRunner.RunAsync(RepoPaths.Rewind, [verb, dir.Path], dir.Path);
            Expect.OneLineError(directory);
            Assert.Contains("is a directory, not a trace", directory.Stderr, StringComparison.Ordinal);
        }
        ProcessResult noDirectory = await RewindCli.RecordAsync(Path.Combine(dir.Path, "missing", "t.rwd"), dir.Path, "/bin/true", []);
        Expect.OneLineError(noDirectory);
        Assert.Contains("does not exist", noDirectory.Stderr, StringComparison.Ordinal);
        ProcessResult intoDirectory = await RewindCli.RecordAsync(dir.Path, dir.Path, "/bin/true", []);
        Expect.OneLineError(intoDirectory);
        Assert.Contains("is a directory", intoDirectory.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task O_replaces_a_trace_but_not_another_file_unless_forced()
    {
        using var dir = new TempDirectory("overwrite");
        string source = dir.File("app.c");
        File.WriteAllText(source, "int main(void) { return 0; }\n");
        ProcessResult refused = await RewindCli.RecordAsync(source, dir.Path, "/bin/true", []);
        Expect.OneLineError(refused);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("int main(void) { return 0; }\n", File.ReadAllText(source));

        string trace = dir.File("t.rwd");
        Assert.Equal(0, (await RewindCli.RecordAsync(trace, dir.Path, "/bin/true", [])).ExitCode);
        Assert.Equal(0, (await RewindCli.RecordAsync(trace, dir.Path, "/bin/echo", ["again"])).ExitCode);
        Assert.Contains("echo again", (await RewindCli.InfoAsync(trace, dir.Path)).Stdout, StringComparison.Ordinal);

        ProcessResult forced = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "-o", source, "--force", "--", "/bin/true"], dir.Path);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(0, (await RewindCli.InfoAsync(source, dir.Path)).ExitCode);
    }

    [Fact]
    public async Task Replay_from_a_checkpoint_says_where_it_starts()
    {
        using var dir = new TempDirectory("from-checkpoint");
        string trace = dir.File("hello.rwd");
        Assert.Equal(0, (await RewindCli.RecordAsync(trace, dir.Path, fixture.Programs.PathOf("hello"), [])).ExitCode);
        ProcessResult r = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["replay", "--from-checkpoint", "last", trace], dir.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("rewind: replaying from checkpoint 0, event 0 of ", r.Stderr, StringComparison.Ordinal);
    }
}
