using System.Security.Cryptography;
using System.Text;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// Real runtimes, each multi-threaded before its program's first line (tests/programs/runtimes):
/// recorded, then replayed from another directory with the program's files gone, printing the
/// same and exiting the same. The runtimes are Debian's; .ci/setup installs the missing ones.
/// </summary>
[Collection(nameof(ThreadTests))]
public sealed class RuntimeTests
{
    private static string Runtimes => Path.Combine(RepoPaths.Programs, "runtimes");

    [Fact]
    public async Task Python_threads_replay_as_recorded()
    {
        using var dir = new TempDirectory("python");
        File.Copy(Path.Combine(Runtimes, "threads.py"), dir.File("threads.py"));
        ProcessResult recorded = await RoundTripAsync(dir, Installed("python3"), ["threads.py"]);
        Assert.StartsWith("finished in order", recorded.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_with_a_timer_and_a_file_read_replays_as_recorded()
    {
        using var dir = new TempDirectory("node");
        File.Copy(Path.Combine(Runtimes, "timer.js"), dir.File("timer.js"));
        string input = string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i}\n"));
        File.WriteAllText(dir.File("input.txt"), input);
        ProcessResult recorded = await RoundTripAsync(dir, Installed("node"), ["timer.js", "input.txt"]);
        Assert.Equal($"read {input.Length} characters in 100 lines\n", recorded.Stdout);
    }

    [Fact]
    public async Task A_java_thread_pool_replays_as_recorded()
    {
        using var dir = new TempDirectory("java");
        await MustSucceed(ProcessRunner.RunAsync(Installed("javac"), ["-d", dir.Path, Path.Combine(Runtimes, "Pool.java")], dir.Path, timeout: TimeSpan.FromMinutes(2)));
        ProcessResult recorded = await RoundTripAsync(dir, Installed("java"), ["-cp", ".", "Pool"]);
        Assert.Equal("total 47999960\n", recorded.Stdout);
    }

    [Fact]
    public async Task A_dotnet_app_with_Task_Run_and_await_replays_as_recorded()
    {
        using var dir = new TempDirectory("dotnet");
        // Built outside the repository, so that none of its build settings apply.
        foreach (string file in Directory.GetFiles(Path.Combine(Runtimes, "TaskApp")))
            File.Copy(file, dir.File(Path.GetFileName(file)));
        string dotnet = Installed("dotnet");
        await MustSucceed(ProcessRunner.RunAsync(dotnet, ["build", "TaskApp.csproj", "-c", "Release", "-o", "app", "-nologo", "-v", "quiet"], dir.Path, timeout: TimeSpan.FromMinutes(3)));
        ProcessResult recorded = await RoundTripAsync(dir, dotnet, ["app/TaskApp.dll"]);
        Assert.StartsWith("sums ", recorded.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gnu_sort_of_20_MB_replays_as_recorded()
    {
        using var dir = new TempDirectory("sort");
        var random = new Random(20);
        using (var writer = new StreamWriter(dir.File("input.txt")))
        {
            while (writer.BaseStream.Length < 20 << 20)
                writer.Write($"{random.NextInt64():x16} {random.Next(1000)}\n");
        }
        // Without --parallel: sort's own choice of threads (two on two CPUs).
        ProcessResult recorded = await RoundTripAsync(dir, Installed("sort"), ["input.txt"], compareText: false);
        Assert.True(recorded.Stdout.Length >= 20 << 20, $"sort printed {recorded.Stdout.Length} characters");
    }

    /// <summary>
    /// Records <paramref name="program"/> in <paramref name="dir"/>, replays the trace from an empty
    /// directory, and requires the same output and exit status; returns the recorded run.
    /// </summary>
    private static async Task<ProcessResult> RoundTripAsync(TempDirectory dir, string program, string[] args, bool compareText = true)
    {
        using var traces = new TempDirectory("trace");
        using var elsewhere = new TempDirectory("replay");
        string trace = traces.File("runtime.rwd");
        ProcessResult recorded = await RewindCli.RecordAsync(trace, dir.Path, program, args);
        Expect.NoStackTrace(recorded);
        Expect.SameExit("the recorded run", 0, recorded, recorded);
        ProcessResult replayed = await RewindCli.ReplayAsync(trace, elsewhere.Path);
        Expect.NoStackTrace(replayed);
        if (compareText)
        {
            Expect.SameText("replay's stdout", recorded.Stdout, replayed.Stdout, recorded, replayed);
        }
        else if (Digest(recorded.Stdout) != Digest(replayed.Stdout))
        {
            Assert.Fail($"replay's stdout ({replayed.Stdout.Length} characters) differs from the recorded run's ({recorded.Stdout.Length})\n{replayed.Stderr}");
        }
        Expect.SameText("replay's stderr", recorded.Stderr, replayed.Stderr, recorded, replayed);
        Expect.SameExit("replay", recorded.ExitCode, recorded, replayed);
        return recorded;
    }

    private static string Digest(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal static async Task MustSucceed(Task<ProcessResult> run)
    {
        ProcessResult r = await run;
        if (r.ExitCode != 0)
            Assert.Fail($"building the test program failed\n{r}");
    }

    /// <summary>The runtime's path, or a failure saying how to get it.</summary>
    internal static string Installed(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{command} is not installed: bash .ci/setup installs what the tests need");
}
