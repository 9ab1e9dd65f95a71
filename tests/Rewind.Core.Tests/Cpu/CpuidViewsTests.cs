using Rewind.Cpu;
using static Rewind.Cpu.CpuidRegister;

namespace Rewind.Core.Tests.Cpu;

/// <summary>The tables a CPUID-trapping recorder shows the program: <see cref="CpuidTable.Deterministic"/> and <see cref="CpuidTable.Baseline"/>.</summary>
public sealed class CpuidViewsTests
{
    /// <summary>The bits the deterministic view clears: RDRAND; HLE, RTM, RDSEED; WAITPKG, RDPID; XSAVEOPT; RDPRU.</summary>
    private static readonly Dictionary<(uint Leaf, uint Subleaf, CpuidRegister Register), uint> Unreplayable = new()
    {
        [(1, 0, Ecx)] = 1u << 30,
        [(7, 0, Ebx)] = (1u << 4) | (1u << 11) | (1u << 18),
        [(7, 0, Ecx)] = (1u << 5) | (1u << 22),
        [(0xd, 1, Eax)] = 1u << 0,
        [(0x8000_0008, 0, Ebx)] = 1u << 4,
    };

    /// <summary>x86-64-v3 as <see cref="KnownFeatures.Of"/> names it, in its order.</summary>
    private static readonly string[] V3Features =
        ["fpu", "cx8", "cmov", "mmx", "fxsr", "sse", "sse2", "pni", "ssse3", "fma", "cx16", "sse4_1", "sse4_2", "movbe", "popcnt",
         "xsave", "avx", "f16c", "bmi1", "avx2", "bmi2", "lahf_lm", "abm", "lm"];

    private static CpuidTable Dump(string name) => name == "epyc" ? CpuidDumps.Epyc : CpuidDumps.Xeon;

    [Theory]
    [InlineData("epyc", "rdrand rdseed rdpid rdpru xsaveopt")]
    [InlineData("xeon", "rdrand rdseed hle rtm rdpid waitpkg xsaveopt")]
    public void Deterministic_hides_the_instructions_replay_cannot_reproduce(string dump, string unreplayable)
    {
        var cpu = Dump(dump);
        var hidden = unreplayable.Split(' ');
        Assert.Subset(KnownFeatures.Of(cpu).ToHashSet(), hidden.ToHashSet());
        Assert.Empty(KnownFeatures.Of(cpu.Deterministic()).Intersect(hidden));
    }

    [Theory]
    [InlineData("epyc")]
    [InlineData("xeon")]
    public void Deterministic_keeps_every_other_bit(string dump)
    {
        var cpu = Dump(dump);
        var deterministic = cpu.Deterministic();
        Assert.Equal(cpu.Leaves.Count, deterministic.Leaves.Count);
        foreach (var (recorded, shown) in cpu.Leaves.Zip(deterministic.Leaves))
        {
            var expected = recorded;
            foreach (var register in new[] { Eax, Ebx, Ecx, Edx })
            {
                expected = expected.Without(register, Unreplayable.GetValueOrDefault((recorded.Leaf, recorded.Subleaf, register)));
            }
            Assert.Equal(expected, shown);
        }
    }

    [Fact]
    public void Baseline_is_x86_64_v3_on_an_epyc_and_on_a_xeon()
    {
        Assert.Equal(V3Features, KnownFeatures.Of(CpuidDumps.Epyc.Baseline()));
        Assert.Equal(V3Features, KnownFeatures.Of(CpuidDumps.Xeon.Baseline()));
        Assert.Equal(V3Features, KnownFeatures.Of(CpuidDumps.Zen5.Baseline()));
        Assert.Equal(V3Features, KnownFeatures.Of(CpuidDumps.EmeraldRapids.Baseline()));
    }

    [Theory]
    [InlineData("epyc")]
    [InlineData("xeon")]
    public void Baseline_keeps_the_vendor_model_brand_caches_and_topology(string dump)
    {
        var cpu = Dump(dump);
        var baseline = cpu.Baseline();
        Assert.Equal((cpu.Vendor, cpu.Family, cpu.Model, cpu.Stepping, cpu.Brand), (baseline.Vendor, baseline.Family, baseline.Model, baseline.Stepping, baseline.Brand));
        Assert.Equal(cpu.Answer(1, 0).Ebx, baseline.Answer(1, 0).Ebx);
        foreach (var leaf in cpu.Leaves.Where(l => l.Leaf is 0 or 2 or 4 or 0xb or 0x1f or (>= 0x8000_0002 and <= 0x8000_0006) or 0x8000_001d or 0x8000_001e or 0x8000_0026))
        {
            Assert.Equal(leaf, baseline.Answer(leaf.Leaf, leaf.Subleaf));
        }
    }

    [Fact]
    public void Baseline_removes_the_leaves_of_extensions_it_lacks()
    {
        var xeon = CpuidDumps.Xeon;
        foreach (uint leaf in new uint[] { 0x14, 0x1d, 0x1e })
        {
            Assert.NotEqual(new CpuidLeaf(leaf, 0, 0, 0, 0, 0), xeon.Answer(leaf, 0));
            Assert.Equal(new CpuidLeaf(leaf, 0, 0, 0, 0, 0), xeon.Baseline().Answer(leaf, 0));
        }
        var epyc = CpuidDumps.Epyc;
        Assert.NotEqual(0u, epyc.Answer(0x8000_001f, 0).Eax); // SEV
        Assert.Equal(new CpuidLeaf(0x8000_001f, 0, 0, 0, 0, 0), epyc.Baseline().Answer(0x8000_001f, 0));
        Assert.Equal(0u, epyc.Baseline().Answer(0x8000_0008, 0).Ebx); // CLZERO, WBNOINVD, speculation controls
        Assert.Equal(epyc.Answer(0x8000_0008, 0).Ecx, epyc.Baseline().Answer(0x8000_0008, 0).Ecx); // glibc's thread count
    }

    [Fact]
    public void Baseline_clears_the_hypervisor_bit()
    {
        var guest = new CpuidTable(CpuidDumps.Xeon.Leaves.Select(l => l.Leaf == 1 ? l with { Ecx = l.Ecx | (1u << 31) } : l));
        Assert.Equal(0u, guest.Baseline().Answer(1, 0).Ecx & (1u << 31));
    }

    [Theory]
    [InlineData("epyc")]
    [InlineData("xeon")]
    public void Baseline_keeps_leaf_0xd_but_its_instruction_bits(string dump)
    {
        var cpu = Dump(dump);
        var baseline = cpu.Baseline();
        var recorded = XsaveLayout.Of(cpu);
        var shown = XsaveLayout.Of(baseline);
        Assert.Equal(recorded.Size, shown.Size);
        Assert.Equal(recorded.Components.OrderBy(c => c.Key), shown.Components.OrderBy(c => c.Key));
        Assert.Equal(
            cpu.Leaves.Where(l => l.Leaf == 0xd).Select(l => l.Subleaf == 1 ? l with { Eax = 0 } : l),
            baseline.Leaves.Where(l => l.Leaf == 0xd));
    }

    [Theory]
    [InlineData("epyc")]
    [InlineData("xeon")]
    public void Baseline_hides_what_deterministic_hides(string dump)
    {
        var cpu = Dump(dump);
        Assert.Subset(KnownFeatures.Of(cpu.Deterministic()).ToHashSet(), KnownFeatures.Of(cpu.Baseline()).ToHashSet());
    }

    [Theory]
    [InlineData("epyc")]
    [InlineData("xeon")]
    public void A_baseline_trace_replays_on_both_cpus(string dump)
    {
        var recorded = KnownFeatures.Of(Dump(dump).Baseline());
        foreach (var here in new[] { CpuidDumps.Epyc.Baseline(), CpuidDumps.Xeon.Baseline(), CpuidDumps.Epyc, CpuidDumps.Xeon })
        {
            Assert.Empty(CpuFeatures.Missing(recorded, KnownFeatures.Of(here)));
        }
        Assert.NotEmpty(CpuFeatures.Missing(KnownFeatures.Of(CpuidDumps.Xeon), KnownFeatures.Of(CpuidDumps.Xeon.Baseline())));
    }

    [Theory]
    [InlineData("epyc")]
    [InlineData("xeon")]
    public void Baseline_of_the_baseline_is_the_same(string dump)
    {
        var baseline = Dump(dump).Baseline();
        Assert.Equal(baseline.Leaves, baseline.Baseline().Leaves);
    }
}
