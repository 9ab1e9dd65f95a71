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
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("python3"), ["threads.py"]);
        Assert.StartsWith("finished in order", recorded.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_python_multiprocessing_pool_replays_as_recorded()
    {
        // Its workers are recorded processes: the pool's semaphores live in /dev/shm pages they share.
        using var dir = new TempDirectory("python");
        File.Copy(Path.Combine(Runtimes, "pool.py"), dir.File("pool.py"));
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("python3"), ["pool.py"]);
        Assert.Equal("sum of squares: 332833500\n", recorded.Stdout);
    }

    [Fact]
    public async Task Node_with_a_timer_and_a_file_read_replays_as_recorded()
    {
        using var dir = new TempDirectory("node");
        File.Copy(Path.Combine(Runtimes, "timer.js"), dir.File("timer.js"));
        string input = string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i}\n"));
        File.WriteAllText(dir.File("input.txt"), input);
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("node"), ["timer.js", "input.txt"]);
        Assert.Equal($"read {input.Length} characters in 100 lines\n", recorded.Stdout);
    }

    [Fact]
    public async Task Java_version_replays_as_recorded()
    {
        // The JVM's start-up alone: a dozen threads, most of them waiting, for one line on stderr.
        using var dir = new TempDirectory("java");
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("java"), ["-version"]);
        Assert.StartsWith("openjdk version", recorded.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_java_thread_pool_replays_as_recorded()
    {
        using var dir = new TempDirectory("java");
        await ToolRoundTrip.MustSucceed(ProcessRunner.RunAsync(ToolRoundTrip.Installed("javac"), ["-d", dir.Path, Path.Combine(Runtimes, "Pool.java")], dir.Path, timeout: TimeSpan.FromMinutes(2)));
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("java"), ["-cp", ".", "Pool"]);
        Assert.Equal("total 47999960\n", recorded.Stdout);
    }

    [Fact]
    public async Task A_dotnet_app_with_Task_Run_and_await_replays_as_recorded()
    {
        using var dir = new TempDirectory("dotnet");
        // Built outside the repository, so that none of its build settings apply.
        foreach (string file in Directory.GetFiles(Path.Combine(Runtimes, "TaskApp")))
            File.Copy(file, dir.File(Path.GetFileName(file)));
        string dotnet = ToolRoundTrip.Installed("dotnet");
        await ToolRoundTrip.MustSucceed(ProcessRunner.RunAsync(dotnet, ["build", "TaskApp.csproj", "-c", "Release", "-o", "app", "-nologo", "-v", "quiet"], dir.Path, timeout: TimeSpan.FromMinutes(3)));
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, dotnet, ["app/TaskApp.dll"]);
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
        ProcessResult recorded = await ToolRoundTrip.RunAsync(dir, ToolRoundTrip.Installed("sort"), ["input.txt"], compareText: false);
        Assert.True(recorded.Stdout.Length >= 20 << 20, $"sort printed {recorded.Stdout.Length} characters");
    }
}
