namespace Rewind.Cli.Tests.Harness;

/// <summary>The processes of this machine as /proc shows them: who descends from whom, and in what state.</summary>
internal static partial class ProcessTable
{
    /// <summary>Every process below <paramref name="root"/>, from the parent pids in /proc.</summary>
    public static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && ParentOf(pid) is > 0 and int parent)
            {
                parents[pid] = parent;
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

    /// <summary>The children of process <paramref name="pid"/>, zombies among them, from each of its threads' /proc children list.</summary>
    public static List<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
            catch (IOException)
            {
            }
        }
        return children;
    }

    /// <summary>Those of <paramref name="pids"/> still there, neither gone nor a zombie, after waiting up to 10 s for them to go.</summary>
    public static List<(int Pid, char State)> LeftBehind(IReadOnlyList<int> pids)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        List<(int Pid, char State)> left;
        do
        {
            left = pids.Select(p => (Pid: p, State: StateOf(p))).Where(p => p.State is not ('\0' or 'Z')).ToList();
        }
        while (left.Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10) && Thread.Yield());
        return left;
    }

    /// <summary>The process's state letter (R, S, t, T, Z…), or '\0' once it is gone.</summary>
    public static char StateOf(int pid) => Stat(pid) is { } stat ? stat[0] : '\0';

    /// <summary>The process's parent, or 0 once it is gone.</summary>
    public static int ParentOf(int pid) => Stat(pid) is { } stat ? int.Parse(stat.Split(' ')[1]) : 0;

    /// <summary>The process's command name (/proc/PID/comm), or null once it is gone.</summary>
    public static string? CommandOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

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
    public static partial int Kill(int pid, int signal);
}
