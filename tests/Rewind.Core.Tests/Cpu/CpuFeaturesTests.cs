using Rewind.Cpu;

namespace Rewind.Core.Tests.Cpu;

/// <summary>The refusal rule, on the measured case (EPYC → Xeon) and its converse.</summary>
public sealed class CpuFeaturesTests
{
    [Fact]
    public void Features_are_decoded_from_the_recorded_leaves()
    {
        var epyc = KnownFeatures.Of(CpuidDumps.Epyc);
        Assert.Superset(new HashSet<string>(["sse4_2", "avx2", "fma", "bmi2", "avx512f", "avx512bw", "avx512_bf16", "vaes", "gfni", "sha_ni", "xsavec", "abm", "sse4a", "erms", "fsrm"]), epyc.ToHashSet());
        Assert.DoesNotContain("amx_tile", epyc);
        Assert.DoesNotContain("fma4", epyc);
        var xeon = KnownFeatures.Of(CpuidDumps.Xeon);
        Assert.Superset(new HashSet<string>(["avx512_fp16", "amx_tile", "amx_bf16", "amx_int8", "avx_vnni", "serialize", "movdiri", "waitpkg"]), xeon.ToHashSet());
        Assert.DoesNotContain("sse4a", xeon);
        Assert.DoesNotContain("clzero", xeon);
    }

    [Fact]
    public void Vector_features_need_the_os_to_save_their_state()
    {
        // Without CR4.OSXSAVE (leaf 1 ecx bit 27) no AVX instruction runs, whatever the feature bits say.
        var noOsxsave = KnownFeatures.Of(CpuidDumps.Epyc.Without(1, 0, CpuidRegister.Ecx, 27));
        Assert.DoesNotContain("avx", noOsxsave);
        Assert.DoesNotContain("avx2", noOsxsave);
        Assert.DoesNotContain("avx512f", noOsxsave);
        Assert.Contains("sse4_2", noOsxsave);
        Assert.Contains("bmi2", noOsxsave);
    }

    [Fact]
    public void An_epyc_trace_replays_on_a_xeon_though_it_lacks_sse4a()
    {
        Assert.Empty(CpuFeatures.Missing(KnownFeatures.Of(CpuidDumps.Epyc), KnownFeatures.Of(CpuidDumps.Xeon)));
    }

    [Fact]
    public void A_xeon_trace_is_refused_on_an_epyc_for_the_instructions_it_lacks()
    {
        var missing = CpuFeatures.Missing(KnownFeatures.Of(CpuidDumps.Xeon), KnownFeatures.Of(CpuidDumps.Epyc));
        Assert.Contains("avx512_fp16", missing);
        Assert.Contains("amx_tile", missing);
        Assert.Contains("serialize", missing);
        Assert.DoesNotContain("avx512f", missing);
    }

    [Fact]
    public void Zen_5_and_xeon_traces_are_refused_on_each_other_for_what_the_other_lacks_and_their_baselines_are_not()
    {
        // Measured: traces recorded on our Zen 5 VM were refused so on the Emerald Rapids VM.
        foreach (var xeon in new[] { CpuidDumps.EmeraldRapids, CpuidDumps.Xeon })
        {
            Assert.Equal(["avx512_vp2intersect"], CpuFeatures.Missing(KnownFeatures.Of(CpuidDumps.Zen5), KnownFeatures.Of(xeon)));
            Assert.Empty(CpuFeatures.Missing(KnownFeatures.Of(CpuidDumps.Zen5.Baseline()), KnownFeatures.Of(xeon)));
        }
        // The other way, AMX and the rest of what Intel has alone.
        var missing = CpuFeatures.Missing(KnownFeatures.Of(CpuidDumps.EmeraldRapids), KnownFeatures.Of(CpuidDumps.Zen5));
        Assert.Superset(new HashSet<string>(["amx_tile", "avx512_fp16", "serialize", "movdiri"]), missing.ToHashSet());
        Assert.Empty(CpuFeatures.Missing(KnownFeatures.Of(CpuidDumps.EmeraldRapids.Baseline()), KnownFeatures.Of(CpuidDumps.Zen5)));
    }

    [Fact]
    public void Speed_hints_and_vendor_extensions_are_no_reason()
    {
        string[] here = ["sse2", "avx2", "fma"];
        Assert.Empty(CpuFeatures.Missing(["sse2", "sse4a", "xop", "tbm", "3dnow", "erms", "fsrm", "clzero", "avx2", "fma", "fma4"], here));
        Assert.Empty(CpuFeatures.Missing(["sse2", "some_future_flag", "vme", "hypervisor"], here));
    }

    [Fact]
    public void Fma4_counts_where_glibc_would_pick_it()
    {
        // libm's ifuncs take FMA4 only where FMA and AVX2 are not both there (ifunc-avx-fma4.h).
        Assert.Equal(["fma4"], CpuFeatures.Missing(["sse2", "avx", "fma4"], ["sse2", "avx"]));
        // With both, the program ran the FMA variants: FMA4 is no reason, AVX2 is.
        Assert.Equal(["avx2"], CpuFeatures.Missing(["fma", "avx2", "fma4"], ["fma"]));
    }

    [Fact]
    public void Old_traces_are_judged_by_their_cpuinfo_flags()
    {
        var xeon = KnownFeatures.Of(CpuidDumps.Xeon);
        Assert.Empty(CpuFeatures.Missing(["fpu", "sse4a", "avx2", "avx512f", "erms", "misalignsse", "sse4_2"], xeon));
        Assert.Equal(["amx_tile"], CpuFeatures.Missing(["amx_tile", "sse4a"], KnownFeatures.Of(CpuidDumps.Epyc)));
    }
}
