namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// The core invariant, end to end: run a program natively, record it, delete the binary
/// and its inputs, replay the trace from another directory with stdin closed, and keep
/// the three results for the test to compare.
/// </summary>
internal sealed class RoundTrip : IDisposable
{
    private readonly TempDirectory _native = new("native");
    private readonly TempDirectory _recording = new("record");
    private readonly TempDirectory _traces = new("trace");
    private readonly TempDirectory _elsewhere = new("replay");

    private RoundTrip(Scenario scenario)
    {
        Scenario = scenario;
        TracePath = _traces.File(scenario.Program + ".rwd");
    }

    public Scenario Scenario { get; }

    public string TracePath { get; }

    /// <summary>The directory the program was recorded in (deleted before replay unless the scenario keeps it).</summary>
    public string RecordingDirectory => _recording.Path;

    public ProcessResult Native { get; private set; } = null!;

    public ProcessResult Recorded { get; private set; } = null!;

    public ProcessResult Replayed { get; private set; } = null!;

    /// <summary>Native run, record, delete, replay. Fails the test if record leaves no trace.</summary>
    public static async Task<RoundTrip> RunAsync(CompiledPrograms programs, Scenario scenario)
    {
        var rt = new RoundTrip(scenario);
        try
        {
            await rt.RunAllAsync(programs);
            return rt;
        }
        catch
        {
            rt.Dispose();
            throw;
        }
    }

    private async Task RunAllAsync(CompiledPrograms programs)
    {
        string binary = "./" + Scenario.Program;
        Native = await RunNativeAsync(programs, Scenario, _native.Path);
        Expect.SameExit($"{Scenario.Program} run natively", Scenario.ExpectedExit, Native, Native);

        Prepare(programs, Scenario, _recording.Path);
        Recorded = await RewindCli.RecordAsync(TracePath, _recording.Path, binary, Scenario.Args, Scenario.Stdin, Scenario.OwnSession, Launcher(programs, Scenario));
        Expect.NoStackTrace(Recorded);
        if (!File.Exists(TracePath) || new FileInfo(TracePath).Length == 0)
            Assert.Fail($"rewind record left no trace at {TracePath}\n{Recorded}");

        // Replay from the trace alone: no binary, no input files, another directory.
        string replayDirectory;
        if (Scenario.ReplayInRecordingDirectory)
        {
            File.Delete(Path.Combine(_recording.Path, Scenario.Program));
            replayDirectory = _recording.Path;
        }
        else
        {
            Directory.Delete(_recording.Path, recursive: true);
            replayDirectory = _elsewhere.Path;
        }
        Scenario.BeforeReplay?.Invoke(replayDirectory);
        Replayed = await RewindCli.ReplayAsync(TracePath, replayDirectory);
        Expect.NoStackTrace(Replayed);
    }

    /// <summary>Copies the program into <paramref name="directory"/>, creates its inputs and runs it there.</summary>
    public static Task<ProcessResult> RunNativeAsync(CompiledPrograms programs, Scenario scenario, string directory)
    {
        string[] command = [.. Launcher(programs, scenario), Prepare(programs, scenario, directory), .. scenario.Args];
        return scenario.OwnSession
            ? ProcessRunner.RunAsync("setsid", ["-w", .. command], directory, scenario.Stdin)
            : ProcessRunner.RunAsync(command[0], command[1..], directory, scenario.Stdin);
    }

    private static string[] Launcher(CompiledPrograms programs, Scenario scenario) =>
        scenario.Launcher.Count == 0 ? [] : [programs.PathOf(scenario.Launcher[0]), .. scenario.Launcher.Skip(1)];

    private static string Prepare(CompiledPrograms programs, Scenario scenario, string directory)
    {
        string binary = Path.Combine(directory, scenario.Program);
        File.Copy(programs.PathOf(scenario.Program), binary);
        scenario.Setup?.Invoke(directory);
        return binary;
    }

    /// <summary>Replay printed what the recorded run printed, exited the same way and created nothing.</summary>
    public void AssertReplayMatchesRecording()
    {
        Expect.SameText("replay's stdout", Recorded.Stdout, Replayed.Stdout, Recorded, Replayed);
        Expect.SameText("replay's stderr", Recorded.Stderr, Replayed.Stderr, Recorded, Replayed);
        Expect.SameExit("replay", Recorded.ExitCode, Recorded, Replayed);
        if (!Scenario.ReplayInRecordingDirectory && _elsewhere.Entries().Length != 0)
            Assert.Fail($"replay created files in its working directory: {string.Join(", ", _elsewhere.Entries())}\n{Replayed}");
    }

    /// <summary>For programs whose output does not depend on the world: recording changes nothing.</summary>
    public void AssertRecordedSameAsNative()
    {
        Expect.SameText("the recorded run's stdout", Native.Stdout, Recorded.Stdout, Native, Recorded);
        Expect.SameText("the recorded run's stderr", Native.Stderr, Recorded.Stderr, Native, Recorded);
        Expect.SameExit("the recorded run", Native.ExitCode, Native, Recorded);
    }

    /// <summary>For programs that print what they read from the world: same lines, other values.</summary>
    public void AssertRecordedShapedLikeNative()
    {
        Expect.SameText("the shape of the recorded run's stdout", Expect.Shape(Native.Stdout), Expect.Shape(Recorded.Stdout), Native, Recorded);
        Expect.SameText("the shape of the recorded run's stderr", Expect.Shape(Native.Stderr), Expect.Shape(Recorded.Stderr), Native, Recorded);
        Expect.SameExit("the recorded run", Native.ExitCode, Native, Recorded);
    }

    /// <summary>
    /// For a program killed by a signal: the same output, the same 128+signo status, and
    /// after the program's own stderr one line like a shell's ("Segmentation fault").
    /// </summary>
    public void AssertRecordedKilledLikeNative(string shellMessage, bool sameStdout = true)
    {
        if (sameStdout)
            Expect.SameText("the recorded run's stdout", Native.Stdout, Recorded.Stdout, Native, Recorded);
        else
            Expect.SameText("the shape of the recorded run's stdout", Expect.Shape(Native.Stdout), Expect.Shape(Recorded.Stdout), Native, Recorded);
        Expect.SameExit("the recorded run", Native.ExitCode, Native, Recorded);
        if (!Recorded.Stderr.StartsWith(Native.Stderr, StringComparison.Ordinal))
            Assert.Fail($"the recorded run's stderr should start with the program's own\n\n{Native}\n\n{Recorded}");
        string[] added = ProcessResult.SplitLines(Recorded.Stderr[Native.Stderr.Length..]);
        if (added.Length != 1 || !added[0].Contains(shellMessage, StringComparison.Ordinal))
            Assert.Fail($"after the program's stderr, expected one line saying \"{shellMessage}\"\n\n{Native}\n\n{Recorded}");
    }

    public void Dispose()
    {
        _native.Dispose();
        _recording.Dispose();
        _traces.Dispose();
        _elsewhere.Dispose();
    }
}
