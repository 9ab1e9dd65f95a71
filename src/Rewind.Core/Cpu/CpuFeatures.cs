using Rewind.Trace;

namespace Rewind.Cpu;

/// <summary>
/// Whether a trace recorded on one CPU replays on this one. glibc and programs pick code paths
/// by the CPUID they are shown, and a restored checkpoint keeps the choice made on the recording
/// CPU: the instructions it chose must exist here. The recording CPU's features are decoded from
/// its recorded CPUID answers, or, in traces made before those were recorded, taken from its
/// /proc/cpuinfo flags. Only features a program can select code by count (<see cref="FeatureUse.Instructions"/>);
/// vendor extensions glibc never selects (SSE4a, XOP, TBM, 3DNow!) and speed hints (ERMS, FSRM) do not.
/// </summary>
public static class CpuFeatures
{
    /// <summary>The features in <paramref name="recorded"/> a program could have selected that <paramref name="here"/> lacks.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyCollection<string> recorded, IReadOnlyCollection<string> here)
    {
        bool fma4Selectable = !recorded.Contains("fma") || !recorded.Contains("avx2");
        return [.. recorded.Distinct().Where(name => !here.Contains(name) && KnownFeatures.Named(name) is { } f
            && (f.Use == FeatureUse.Instructions || (f.Name == KnownFeatures.Fma4 && fma4Selectable)))];
    }

    /// <summary>The features the program recorded on <paramref name="recorded"/> could use that this CPU lacks.</summary>
    public static IReadOnlyList<string> Missing(TraceMachine recorded) => Missing(FeaturesOf(recorded), KnownFeatures.Of(CpuidTable.ThisCpu()));

    /// <summary>The recording CPU's features: decoded from its CPUID where the trace has it, else its cpuinfo flags.</summary>
    public static IReadOnlyList<string> FeaturesOf(TraceMachine recorded) =>
        recorded.Cpuid is { } cpuid ? KnownFeatures.Of(new CpuidTable(cpuid)) : recorded.CpuFlags;

    /// <summary>Throws, naming the features, when this CPU lacks one the recorded program could use.</summary>
    public static void CheckCanReplay(TraceMachine recorded)
    {
        var missing = Missing(recorded);
        if (missing.Count > 0)
        {
            throw new RewindException($"this CPU lacks {string.Join(", ", missing)}, which the recording CPU ({recorded.CpuModel}) had; the program's code paths may use them, so the trace cannot be replayed here (rewind replay --any-cpu tries anyway, and stops with a divergence where the program executes one)");
        }
    }
}
