using Rewind.Trace;

namespace Rewind;

/// <summary>
/// CPUID cannot be trapped here (no CPUID faulting), and glibc picks code paths from it, so a
/// trace replays only on a CPU with every instruction-set feature the recording CPU had.
/// </summary>
public static class CpuFeatures
{
    private static readonly HashSet<string> InstructionSets =
    [
        "mmx", "cmov", "cx8", "cx16", "lm", "fma", "fma4", "bmi1", "bmi2", "adx", "aes", "pclmulqdq", "sha_ni", "popcnt",
        "abm", "movbe", "f16c", "rdrand", "rdseed", "xsave", "xsaveopt", "xsavec", "xsaves", "erms", "fsrm", "rtm", "hle",
        "vaes", "vpclmulqdq", "gfni", "clflushopt", "clwb", "rdpid", "lahf_lm", "movdiri", "movdir64b", "serialize",
    ];

    private static bool Matters(string flag) =>
        InstructionSets.Contains(flag) || flag.StartsWith("sse", StringComparison.Ordinal) || flag.StartsWith("ssse", StringComparison.Ordinal)
        || flag.StartsWith("avx", StringComparison.Ordinal) || flag.StartsWith("amx", StringComparison.Ordinal);

    /// <summary>The instruction-set features of <paramref name="recorded"/>'s CPU that this one lacks.</summary>
    public static List<string> Missing(TraceMachine recorded)
    {
        var here = TraceMachine.Current().CpuFlags.ToHashSet();
        return recorded.CpuFlags.Where(Matters).Where(f => !here.Contains(f)).ToList();
    }

    /// <summary>Throws, naming the features, when this CPU lacks one the recording used.</summary>
    public static void CheckCanReplay(TraceMachine recorded)
    {
        var missing = Missing(recorded);
        if (missing.Count > 0)
        {
            throw new RewindException($"this CPU lacks {string.Join(", ", missing)}, which the recording CPU ({recorded.CpuModel}) had; the program's code paths depend on them, so the trace cannot be replayed here");
        }
    }
}
