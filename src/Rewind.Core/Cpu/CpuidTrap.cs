using System.Text.Json.Serialization;

namespace Rewind.Cpu;

/// <summary>
/// How the recorded program's CPUID instructions were answered (the trace header's
/// <c>cpuidTrap</c>). Where the recording machine has CPUID faulting (arch_prctl(2)
/// ARCH_SET_CPUID), each CPUID faults and the recorder answers it from the header's table, so
/// the program sees exactly that table, here and in any replay that can trap CPUID too.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CpuidTrap>))]
public enum CpuidTrap
{
    /// <summary>Not trapped (the recording machine has no CPUID faulting): the program read the CPU itself, the table is that CPU's.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Trapped and answered with the recording CPU's answers, less the instructions replay cannot reproduce (<see cref="CpuidTable.Deterministic"/>).</summary>
    [JsonStringEnumMemberName("host")]
    Host,

    /// <summary>Trapped and answered with an x86-64-v3 CPU's features (<see cref="CpuidTable.Baseline"/>): <c>rewind record --cpu baseline</c>.</summary>
    [JsonStringEnumMemberName("baseline")]
    Baseline,
}
