using Rewind.Cli.Tests.Gdb;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>The documented install (src/Rewind.Cli/install.sh, a NativeAOT build) into a prefix, used from a shell that knows only that prefix and the system's directories.</summary>
public sealed class InstallTests
{
    [Fact]
    public async Task The_installed_rewind_records_and_serves_gdb_from_path()
    {
        using var prefix = new TempDirectory("prefix");
        using var work = new TempDirectory("installed");
        string script = Path.Combine(RepoPaths.Root, "src", "Rewind.Cli", "install.sh");
        ProcessResult installed = await ProcessRunner.RunAsync("bash", [script, prefix.Path], work.Path, timeout: TimeSpan.FromMinutes(5));
        Assert.True(installed.ExitCode == 0, installed.ToString());
        Assert.True(File.Exists(Path.Combine(prefix.Path, "bin", "rewind")), installed.ToString());

        string path = $"PATH={prefix.Path}/bin:/usr/bin:/bin";
        ProcessResult version = await ProcessRunner.RunAsync("env", ["-i", path, "sh", "-c", "rewind --version"], work.Path);
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("rewind ", version.Stdout, StringComparison.Ordinal);

        ProcessResult recorded = await ProcessRunner.RunAsync("env", ["-i", path, $"HOME={work.Path}", "sh", "-c", "rewind record -o echo.rwd -- echo hello"], work.Path);
        Assert.Equal("hello\n", recorded.Stdout);

        // The install is compiled ahead of time, the other tests' rewind runs on CoreCLR: a
        // program's signal frames must not tell them apart (ProcessSpawn's alternate stack), and
        // here they are moved into the recording Xeon's layout too (CpuidTests).
        string xeon = Path.Combine(RepoPaths.Root, "traces", "xeon-queued-signals.rwd");
        ProcessResult foreign = await ProcessRunner.RunAsync("env", ["-i", path, $"HOME={work.Path}", "rewind", "replay", "--any-cpu", xeon], work.Path);
        Assert.True(foreign.ExitCode == 0 && foreign.Stderr.Length == 0, foreign.ToString());
        Assert.Contains("round 1: 12 came\n", foreign.Stdout, StringComparison.Ordinal);

        // Its runtime starts its timer thread and pool workers from the first thread that needs
        // them, a tracer pinned to the program's CPU: the workers that run the event log's flush
        // and the checkpoints must not stay there (CpuPinning.ReleasePoolThread).
        string sleeping = Path.Combine(work.Path, "sleep.rwd");
        var recording = ProcessRunner.RunAsync("env", ["-i", path, $"HOME={work.Path}", "rewind", "record", "-o", sleeping, "--checkpoint-interval", "0.1", "--", "sleep", "2"], work.Path);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var threads = RecorderThreads.Of(sleeping);
        Assert.Equal(0, (await recording).ExitCode);
        Assert.Equal([threads.Single(t => t.Main).Cpus], threads.Where(t => t.Name.Contains("TP Worker", StringComparison.Ordinal)).Select(t => t.Cpus).Distinct());
        if (Environment.ProcessorCount > 1)
            Assert.Matches(@"^\d+$", threads.Single(t => t.Name == "rewind tracer").Cpus);
        if (GdbEnvironment.GdbPath is { } gdb)
        {
            ProcessResult debugged = await ProcessRunner.RunAsync("env",
                ["-i", path, $"HOME={work.Path}", gdb, "-q", "-batch", "-nx", "-ex", "target remote | rewind gdbserver echo.rwd", "-ex", "info threads"], work.Path);
            Assert.Contains("Thread", debugged.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("command not found", debugged.Stdout + debugged.Stderr, StringComparison.Ordinal);
        }

        ProcessResult removed = await ProcessRunner.RunAsync("bash", [script, "--uninstall", prefix.Path], work.Path);
        Assert.Equal(0, removed.ExitCode);
        Assert.False(File.Exists(Path.Combine(prefix.Path, "bin", "rewind")));
    }
}
