using System.Diagnostics;

namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// An interactive bash with job control on a pseudo-terminal of its own (script(1)), typed into as
/// a user would: ^C and ^Z go through the terminal's line discipline to its foreground process
/// group, and the shell's <c>jobs</c>, <c>fg</c> and <c>$?</c> show what became of a command.
/// What the terminal showed is read as it comes. Killed, if still there, on dispose.
/// </summary>
internal sealed class TerminalShell : IDisposable
{
    public const string CtrlC = "\x03";
    public const string CtrlZ = "\x1a";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly System.Text.StringBuilder _screen = new();
    private readonly Task _reading;

    private TerminalShell(Process process)
    {
        _process = process;
        _reading = Read();
    }

    public static TerminalShell Start(string workingDirectory)
    {
        var psi = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        foreach (string a in (string[])["-qfec", "bash --norc --noprofile -i", "/dev/null"])
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        return new TerminalShell(process);
    }

    /// <summary>script(1)'s pid, above the shell.</summary>
    public int Pid => _process.Id;

    /// <summary>Everything the terminal showed so far, its line ends as a terminal sends them (CR LF).</summary>
    public string Screen
    {
        get
        {
            lock (_screen)
                return _screen.ToString();
        }
    }

    /// <summary>Types <paramref name="keys"/> at the terminal.</summary>
    public void Type(string keys)
    {
        _process.StandardInput.Write(keys);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits until the terminal has shown <paramref name="text"/> after position <paramref name="from"/> of <see cref="Screen"/>; returns where it ends.</summary>
    public int WaitFor(string text, int from = 0)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string screen = Screen;
            int at = screen.IndexOf(text, Math.Min(from, screen.Length), StringComparison.Ordinal);
            if (at >= 0)
                return at + text.Length;
            Assert.True(clock.Elapsed < Limit && !_process.HasExited, $"the terminal did not show '{text}':\n{screen}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Runs <c>echo $?</c> and returns the status of the last command the shell ran in the foreground.</summary>
    public int LastStatus()
    {
        int from = Screen.Length;
        Type("echo \"status=$?.\"\n");
        // The echo of the typed line shows "$?", its output the number.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = System.Text.RegularExpressions.Regex.Match(Screen[from..], @"status=(\d+)\.");
            if (status.Success)
                return int.Parse(status.Groups[1].Value);
            Assert.True(clock.Elapsed < Limit && !_process.HasExited, $"the shell did not tell the status:\n{Screen}");
            Thread.Sleep(10);
        }
    }

    private async Task Read()
    {
        var buffer = new char[4096];
        int n;
        while ((n = await _process.StandardOutput.ReadAsync(buffer)) > 0)
            lock (_screen)
                _screen.Append(buffer, 0, n);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Type("exit\n");
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
                _process.Kill(entireProcessTree: true);
        }
        _reading.Wait(Limit);
        _process.Dispose();
    }
}
