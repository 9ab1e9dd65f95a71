using System.Diagnostics;
using System.Text;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>Runs a program to its end with a time limit; a hang fails the test instead of the run.</summary>
internal static class ChildProcess
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Run(string program, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.Environment["REWIND_VERBOSE"] = null;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit ?? Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {(limit ?? Limit).TotalSeconds:0} s\n{stdout}{stderr}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The first of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
        .Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
