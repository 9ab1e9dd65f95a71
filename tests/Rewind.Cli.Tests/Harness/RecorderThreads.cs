using System.Globalization;

namespace Rewind.Cli.Tests.Harness;

/// <summary>The threads of a running <c>rewind record</c>, from /proc: their names and the CPUs each may run on.</summary>
internal static class RecorderThreads
{
    /// <summary>Each thread of the rewind process recording into <paramref name="trace"/>: its name, whether it is the main thread, and its Cpus_allowed_list.</summary>
    public static List<(string Name, bool Main, string Cpus)> Of(string trace)
    {
        int pid = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out int p) ? p : 0)
            .Single(p => p > 0 && Cmdline(p).Contains($"record\0-o\0{trace}\0", StringComparison.Ordinal) && File.ReadAllText($"/proc/{p}/comm").Trim() == "rewind");
        return Directory.EnumerateDirectories($"/proc/{pid}/task").Select(task => (
            File.ReadAllText(Path.Combine(task, "comm")).Trim(),
            Path.GetFileName(task) == pid.ToString(CultureInfo.InvariantCulture),
            File.ReadLines(Path.Combine(task, "status")).Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim())).ToList();
    }

    private static string Cmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
