using System.ComponentModel;
using System.Diagnostics;

namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// Runs a subprocess with redirected streams read asynchronously, and a time limit: a
/// process still running when the limit expires is killed with its whole tree and the
/// test fails. A hang is a bug we want to see, never a stuck test run.
/// </summary>
internal static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <param name="stdin">bytes to write to the process's stdin before closing it; null closes it at once.</param>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        byte[]? stdin = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in arguments)
            psi.ArgumentList.Add(a);
        // As a shell would: PWD names the directory the process starts in.
        psi.Environment["PWD"] = workingDirectory;
        string commandLine = $"(cd {workingDirectory} && {Quote(fileName)} {string.Join(' ', psi.ArgumentList.Select(Quote))})";

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {commandLine}: {e.Message}", e);
        }

        Task<string> stdout = ReadAllAsync(process.StandardOutput.BaseStream);
        Task<string> stderr = ReadAllAsync(process.StandardError.BaseStream);
        Task feed = FeedAsync(process.StandardInput.BaseStream, stdin);

        TimeSpan limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            string partialOut = await WithinAsync(stdout);
            string partialErr = await WithinAsync(stderr);
            Assert.Fail($"timed out after {limit.TotalSeconds:0} s and killed: {commandLine}\n--- stdout ---\n{partialOut}\n--- stderr ---\n{partialErr}");
        }

        // The streams end when every holder of the pipes' write ends is gone; a leftover
        // grandchild holding them must not hang the test either.
        string outText = await WithinAsync(stdout);
        string errText = await WithinAsync(stderr);
        await Task.WhenAny(feed, Task.Delay(TimeSpan.FromSeconds(10)));
        return new ProcessResult(commandLine, process.ExitCode, outText, errText);
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task FeedAsync(Stream stdin, byte[]? bytes)
    {
        try
        {
            if (bytes is { Length: > 0 })
                await stdin.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The process exited without reading everything (EPIPE): nothing to feed any more.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string> WithinAsync(Task<string> task)
    {
        Task done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10)));
        if (done != task)
            Assert.Fail("a process exited but its output pipes stayed open for 10 s (a leftover child holds them)");
        return await task;
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=+:,@%".Contains(c)) ? s : $"'{s.Replace("'", "'\\''")}'";
}
