using System.Diagnostics;

namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// A program left running in the background, as a job to be hibernated: its stdout is a pipe
/// read as it comes (the job's own bytes, however many processes write them: a line may be cut
/// where the job was hibernated, its end written by the resumed process), its stdin closed. It starts with no other descriptor, as from a terminal: a test runner's
/// inherited pipes would be a pipe to another process, which hibernation refuses.
/// Killed, if still there, on dispose.
/// </summary>
internal sealed class LiveJob : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly System.Text.StringBuilder _text = new();
    private readonly List<string> _errors = [];
    private Task? _reading;

    private LiveJob(Process process) => _process = process;

    public static LiveJob Start(string program, IEnumerable<string> args, string workingDirectory)
    {
        const string CloseInherited = "for f in /proc/$$/fd/*; do n=${f##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done; exec \"$@\"";
        var psi = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in (string[])["-c", CloseInherited, "job", program, .. args])
            psi.ArgumentList.Add(a);
        var job = new LiveJob(new Process { StartInfo = psi });
        job._process.ErrorDataReceived += (_, e) => job.AddError(e.Data);
        job._process.Start();
        job._process.StandardInput.Close();
        job._reading = job.ReadOutput();
        job._process.BeginErrorReadLine();
        return job;
    }

    public int Pid => _process.Id;

    /// <summary>What the job printed so far.</summary>
    public string Text
    {
        get
        {
            lock (_text)
                return _text.ToString();
        }
    }

    /// <summary>The whole lines the job printed so far.</summary>
    public IReadOnlyList<string> Lines => Text.Split('\n')[..^1];

    public string Errors
    {
        get
        {
            lock (_text)
                return string.Join('\n', _errors);
        }
    }

    private void AddError(string? line)
    {
        if (line != null)
            lock (_text)
                _errors.Add(line);
    }

    private async Task ReadOutput()
    {
        var buffer = new char[4096];
        int n;
        while ((n = await _process.StandardOutput.ReadAsync(buffer)) > 0)
            lock (_text)
                _text.Append(buffer, 0, n);
    }

    /// <summary>Waits until the job's stderr holds <paramref name="text"/>.</summary>
    public void WaitForError(string text)
    {
        var clock = Stopwatch.StartNew();
        while (!Errors.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < Limit && !_process.HasExited, $"the job did not say '{text}':\n{Errors}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Waits until the job has printed <paramref name="count"/> lines.</summary>
    public void WaitForLines(int count)
    {
        var clock = Stopwatch.StartNew();
        while (Lines.Count < count)
        {
            if (_process.HasExited && Lines.Count < count)
                Thread.Sleep(200);
            Assert.True(clock.Elapsed < Limit && !(_process.HasExited && Lines.Count < count),
                $"the job printed {Lines.Count} lines, not {count}:\n{Text}\n{Errors}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Waits for the job to end, with all its output read; returns its status as a shell shows it.</summary>
    public int WaitForExit()
    {
        Assert.True(_process.WaitForExit(Limit), $"the job did not end:\n{Text}\n{Errors}");
        _process.WaitForExit();
        _reading?.Wait(Limit);
        return _process.ExitCode;
    }

    /// <summary>When the job is <c>rewind resume</c> or <c>rewind run</c>, once its program runs (it has printed): that program's pid, the child of rewind.</summary>
    public int ChildPid()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Limit)
        {
            if (ProcessTable.Children(Pid) is [var child, ..])
                return child;
            Thread.Sleep(10);
        }
        Assert.Fail($"rewind started no process:\n{Errors}");
        return 0;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
