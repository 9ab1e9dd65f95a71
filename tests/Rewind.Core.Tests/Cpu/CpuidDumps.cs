using System.Globalization;
using System.Text.RegularExpressions;
using Rewind.Cpu;

namespace Rewind.Core.Tests.Cpu;

/// <summary>
/// CPUID tables of real CPUs, from InstLatx64's dumps (Cpu/Data; the source is named in each file):
/// lines "CPUID LLLLLLLL: EAX-EBX-ECX-EDX [SL nn]", the subleaf 0 where no [SL] is given.
/// </summary>
internal static partial class CpuidDumps
{
    /// <summary>AMD EPYC 9654 (Zen 4, Genoa): AVX-512, SSE4a, no AMX; XSAVE area 2440 bytes.</summary>
    public static CpuidTable Epyc => Load("AuthenticAMD0A10F11_K19_Genoa_01_CPUID.txt");

    /// <summary>Intel Xeon w7-2475X (Sapphire Rapids): AVX-512, AMX, no SSE4a; XSAVE area 11008 bytes.</summary>
    public static CpuidTable Xeon => Load("GenuineIntel00806F8_SapphireRapids_05_CPUID.txt");

    /// <summary>An AMD EPYC VM on Zen 5 (family 0x1a): AVX-512 with VP2INTERSECT, which no Intel CPU since Tiger Lake has; no PKRU in its XSAVE area.</summary>
    public static CpuidTable Zen5 => Load("AuthenticAMD0B00F21_Zen5_VM_CPUID.txt");

    /// <summary>An Intel Xeon VM on Emerald Rapids (family 6 model 0xcf) with CPUID faulting: the machine portable traces were checked on.</summary>
    public static CpuidTable EmeraldRapids => Load("GenuineIntel00C06F2_EmeraldRapids_VM_CPUID.txt");

    public static CpuidTable Load(string name)
    {
        var leaves = new List<CpuidLeaf>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Cpu", "Data", name)))
        {
            var m = Line().Match(line);
            if (!m.Success)
            {
                continue;
            }
            uint Hex(int group) => uint.Parse(m.Groups[group].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            uint subleaf = m.Groups[6].Success ? Hex(6) : 0;
            leaves.Add(new CpuidLeaf(Hex(1), subleaf, Hex(2), Hex(3), Hex(4), Hex(5)));
        }
        return new CpuidTable(leaves);
    }

    /// <summary><paramref name="cpu"/> with bit <paramref name="bit"/> of one register of one leaf cleared: a CPU without that feature.</summary>
    public static CpuidTable Without(this CpuidTable cpu, uint leaf, uint subleaf, CpuidRegister register, int bit) =>
        new(cpu.Leaves.Select(l => l.Leaf != leaf || l.Subleaf != subleaf ? l : l.Without(register, 1u << bit)));

    [GeneratedRegex(@"^CPUID ([0-9A-F]{8}): ([0-9A-F]{8})-([0-9A-F]{8})-([0-9A-F]{8})-([0-9A-F]{8})(?:.*?\[SL ([0-9A-F]{2})\])?")]
    private static partial Regex Line();
}
