using System.Text.Json.Serialization;
using Rewind.Cpu;
using Rewind.Trace;

namespace Rewind.Cli;

/// <summary>
/// The CPU the recorded program was shown, in `rewind info`: vendor, family, model and stepping
/// from its recorded CPUID (absent in traces made before CPUID was recorded), the instruction-set
/// features replay judges it by (<see cref="CpuFeatures"/>), decoded from CPUID or taken from
/// /proc/cpuinfo's flags, and whether CPUID was trapped and answered from that table.
/// </summary>
internal sealed record TraceCpu(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Vendor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Family,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Stepping,
    IReadOnlyList<string> Features,
    string FeaturesFrom,
    CpuidTrap CpuidTrap)
{
    public static TraceCpu Of(TraceMachine machine)
    {
        var features = CpuFeatures.FeaturesOf(machine).Where(f => KnownFeatures.Named(f) != null).ToList();
        if (machine.Cpuid is not { } leaves)
        {
            return new TraceCpu(null, null, null, null, features, "cpuinfo flags", machine.CpuidTrap);
        }
        var cpu = new CpuidTable(leaves);
        return new TraceCpu(cpu.Vendor, cpu.Family, cpu.Model, cpu.Stepping, features, "cpuid", machine.CpuidTrap);
    }

    /// <summary>How the program's CPUID was answered, in words.</summary>
    [JsonIgnore]
    public string Trap => CpuidTrap switch
    {
        CpuidTrap.Host => "trapped, answered as the recording CPU without the instructions replay cannot reproduce (rdrand, rdseed, transactions …)",
        CpuidTrap.Baseline => "trapped, answered as an x86-64-v3 CPU (rewind record --cpu baseline)",
        _ => "not trapped: the program read the recording CPU itself (it had no CPUID faulting)",
    };

    /// <summary>"AuthenticAMD family 0x19 model 0x11 stepping 1", or null without CPUID.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature => Vendor == null ? null : $"{Vendor} family 0x{Family:x} model 0x{Model:x} stepping {Stepping}";
}
