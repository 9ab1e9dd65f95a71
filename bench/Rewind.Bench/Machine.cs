namespace Rewind.Bench;

/// <summary>A one-line description of the machine the figures come from.</summary>
internal static class Machine
{
    public static string Describe()
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            ?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        string kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        long memKb = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).FirstOrDefault();
        bool pmu = Directory.Exists("/sys/bus/event_source/devices/cpu") || Directory.Exists("/sys/bus/event_source/devices/cpu_core");
        return $"{Environment.ProcessorCount} × {cpu}, Linux {kernel}, {memKb / 1024 / 1024} GB RAM, hardware PMU: {(pmu ? "yes" : "no")}";
    }
}
