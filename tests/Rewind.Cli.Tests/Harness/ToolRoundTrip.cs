using System.Security.Cryptography;
using System.Text;

namespace Rewind.Cli.Tests.Harness;

/// <summary>Real programs (runtimes, make, a shell) recorded where they run, then replayed from an empty directory.</summary>
internal static class ToolRoundTrip
{
    /// <summary>
    /// Records <paramref name="program"/> in <paramref name="dir"/>, replays the trace from an empty
    /// directory, and requires the same output and exit status; returns the recorded run.
    /// <paramref name="inspect"/> gets the trace before it goes.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(TempDirectory dir, string program, string[] args, bool compareText = true, Func<string, Task>? inspect = null)
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
        if (inspect != null)
        {
            await inspect(trace);
        }
        return recorded;
    }

    private static string Digest(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static async Task MustSucceed(Task<ProcessResult> run)
    {
        ProcessResult r = await run;
        if (r.ExitCode != 0)
            Assert.Fail($"building the test program failed\n{r}");
    }

    /// <summary>The runtime's path, or a failure saying how to get it.</summary>
    public static string Installed(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{command} is not installed: bash .ci/setup installs what the tests need");
}
