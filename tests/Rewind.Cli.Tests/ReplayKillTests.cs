using System.Diagnostics;

namespace Rewind.Cli.Tests;

/// <summary>
/// Killing `rewind replay` leaves no stopped process behind: every tracee carries
/// PTRACE_O_EXITKILL, so the kernel kills it when its tracer dies, whatever killed the tracer.
/// </summary>
public sealed partial class ReplayKillTests : IDisposable
{
    private readonly CheckpointProgram _program = new();

    [Theory]
    [InlineData(9)]  // SIGKILL: rewind runs no code of its own
    [InlineData(2)]  // SIGINT: as from ^C
    public void Killing_rewind_mid_replay_leaves_no_stopped_process(int signal)
    {
        string trace = Path.Combine(_program.Directory, $"long-{signal}.rwd");
        var (code, _, stderr) = _program.Rewind("record", "--checkpoint-interval", "0", "-o", trace, "--", _program.Binary, "20000", _program.DataFile, "0");
        Assert.True(code == 0, stderr);

        using var replay = _program.StartRewind("replay", trace);
        // Mid-replay: the program has printed a few thousand of its 20000 lines.
        string? line;
        while ((line = replay.StandardOutput.ReadLine()) != null && !line.StartsWith("step 3000 ", StringComparison.Ordinal))
        {
        }
        Assert.NotNull(line);
        var tracees = Descendants(replay.Id);
        Assert.NotEmpty(tracees);
        Assert.Equal(0, Kill(replay.Id, signal));
        replay.StandardOutput.ReadToEnd();
        replay.WaitForExit();

        var deadline = Stopwatch.StartNew();
        List<(int Pid, char State)> left;
        do
        {
            left = tracees.Select(p => (Pid: p, State: StateOf(p))).Where(p => p.State is not ('\0' or 'Z')).ToList();
        }
        while (left.Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10) && Thread.Yield());
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left.Select(p => $"{p.Pid} ({p.State})"))}");
    }

    /// <summary>Every process below <paramref name="root"/>, from the parent pids in /proc.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && Stat(pid) is { } stat)
            {
                parents[pid] = int.Parse(stat.Split(' ')[1]);
            }
        }
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            int p = queue.Dequeue();
            foreach (var child in parents.Where(kv => kv.Value == p).Select(kv => kv.Key))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }
        return found;
    }

    /// <summary>The process's state letter (R, S, t, T, Z…), or '\0' once it is gone.</summary>
    private static char StateOf(int pid) => Stat(pid) is { } stat ? stat[0] : '\0';

    /// <summary>The fields of /proc/PID/stat after the parenthesized command name.</summary>
    private static string? Stat(int pid)
    {
        try
        {
            string text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..];
        }
        catch (IOException)
        {
            return null;
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public void Dispose() => _program.Dispose();
}
