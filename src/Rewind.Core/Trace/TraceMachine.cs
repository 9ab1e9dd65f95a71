using System.Runtime.InteropServices;
using Rewind.Cpu;

namespace Rewind.Trace;

/// <summary>
/// The recording machine, as replay needs to judge it: glibc and programs pick code paths by
/// CPUID, so a trace replays only on a CPU with the instructions they could pick
/// (<see cref="CpuFeatures"/>). <see cref="Cpuid"/> holds every CPUID answer the recorded
/// program could read: the recording CPU's, or, where <see cref="CpuidTrap"/> says CPUID was
/// trapped, the table it was answered from; traces written before it was recorded have none (null).
/// </summary>
public sealed record TraceMachine(
    string Hostname,
    string KernelRelease,
    string Architecture,
    string CpuModel,
    IReadOnlyList<string> CpuFlags,
    int PageSize,
    IReadOnlyList<CpuidLeaf>? Cpuid = null,
    CpuidTrap CpuidTrap = CpuidTrap.None)
{
    /// <summary>Describes the machine this process runs on, from /proc.</summary>
    public static TraceMachine Current()
    {
        (string model, IReadOnlyList<string> flags) = ReadCpuInfo();
        return new TraceMachine(
            ReadProcLine("/proc/sys/kernel/hostname") ?? Environment.MachineName,
            // The same string uname(2) returns in utsname.release.
            ReadProcLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString(),
            RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            model,
            flags,
            Environment.SystemPageSize,
            CpuidTable.ThisCpu().Leaves);
    }

    private static string? ReadProcLine(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The first processor's "model name" and "flags"; all cores of a VM report the same.</summary>
    private static (string Model, IReadOnlyList<string> Flags) ReadCpuInfo()
    {
        string model = "unknown";
        string[] flags = [];
        string? text = ReadProcLine("/proc/cpuinfo");
        if (text is null)
            return (model, flags);
        foreach (string line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
                continue;
            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (key == "model name" && model == "unknown")
                model = value;
            else if (key == "flags" && flags.Length == 0)
                flags = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (model != "unknown" && flags.Length != 0)
                break;
        }
        return (model, flags);
    }
}
