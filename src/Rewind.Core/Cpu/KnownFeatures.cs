using static Rewind.Cpu.CpuidRegister;
using static Rewind.Cpu.FeatureUse;

namespace Rewind.Cpu;

/// <summary>
/// The CPUID feature bits Rewind decodes (Intel SDM vol. 2A and AMD APM vol. 3, CPUID; names as in
/// Linux's arch/x86/include/asm/cpufeatures.h, which /proc/cpuinfo prints), and which of them a
/// recorded program can select code by (glibc: sysdeps/x86/cpu-features.c and the ifunc selectors).
/// </summary>
public static class KnownFeatures
{
    private const ulong Ymm = 0b110, Zmm = 0b1110_0110, Tiles = 0b110_0000_0000_0000_0000;

    public static readonly IReadOnlyList<CpuFeature> All =
    [
        new("fpu", 1, 0, Edx, 0, Instructions),
        new("cx8", 1, 0, Edx, 8, Instructions),
        new("cmov", 1, 0, Edx, 15, Instructions),
        new("mmx", 1, 0, Edx, 23, Instructions),
        new("fxsr", 1, 0, Edx, 24, Instructions),
        new("sse", 1, 0, Edx, 25, Instructions),
        new("sse2", 1, 0, Edx, 26, Instructions),
        new("pni", 1, 0, Ecx, 0, Instructions),
        new("pclmulqdq", 1, 0, Ecx, 1, Instructions),
        new("ssse3", 1, 0, Ecx, 9, Instructions),
        new("fma", 1, 0, Ecx, 12, Instructions, Ymm),
        new("cx16", 1, 0, Ecx, 13, Instructions),
        new("sse4_1", 1, 0, Ecx, 19, Instructions),
        new("sse4_2", 1, 0, Ecx, 20, Instructions),
        new("movbe", 1, 0, Ecx, 22, Instructions),
        new("popcnt", 1, 0, Ecx, 23, Instructions),
        new("aes", 1, 0, Ecx, 25, Instructions),
        new("xsave", 1, 0, Ecx, 26, Instructions),
        new("avx", 1, 0, Ecx, 28, Instructions, Ymm),
        new("f16c", 1, 0, Ecx, 29, Instructions, Ymm),
        new("rdrand", 1, 0, Ecx, 30, Instructions),
        new("fsgsbase", 7, 0, Ebx, 0, Instructions),
        new("bmi1", 7, 0, Ebx, 3, Instructions),
        new("hle", 7, 0, Ebx, 4, Instructions),
        new("avx2", 7, 0, Ebx, 5, Instructions, Ymm),
        new("bmi2", 7, 0, Ebx, 8, Instructions),
        new("erms", 7, 0, Ebx, 9, PerformanceHint),
        new("rtm", 7, 0, Ebx, 11, Instructions),
        new("avx512f", 7, 0, Ebx, 16, Instructions, Zmm),
        new("avx512dq", 7, 0, Ebx, 17, Instructions, Zmm),
        new("rdseed", 7, 0, Ebx, 18, Instructions),
        new("adx", 7, 0, Ebx, 19, Instructions),
        new("avx512ifma", 7, 0, Ebx, 21, Instructions, Zmm),
        new("clflushopt", 7, 0, Ebx, 23, Instructions),
        new("clwb", 7, 0, Ebx, 24, Instructions),
        new("avx512pf", 7, 0, Ebx, 26, Instructions, Zmm),
        new("avx512er", 7, 0, Ebx, 27, Instructions, Zmm),
        new("avx512cd", 7, 0, Ebx, 28, Instructions, Zmm),
        new("sha_ni", 7, 0, Ebx, 29, Instructions),
        new("avx512bw", 7, 0, Ebx, 30, Instructions, Zmm),
        new("avx512vl", 7, 0, Ebx, 31, Instructions, Zmm),
        new("avx512vbmi", 7, 0, Ecx, 1, Instructions, Zmm),
        new("waitpkg", 7, 0, Ecx, 5, Instructions),
        new("avx512_vbmi2", 7, 0, Ecx, 6, Instructions, Zmm),
        new("gfni", 7, 0, Ecx, 8, Instructions),
        new("vaes", 7, 0, Ecx, 9, Instructions, Ymm),
        new("vpclmulqdq", 7, 0, Ecx, 10, Instructions, Ymm),
        new("avx512_vnni", 7, 0, Ecx, 11, Instructions, Zmm),
        new("avx512_bitalg", 7, 0, Ecx, 12, Instructions, Zmm),
        new("avx512_vpopcntdq", 7, 0, Ecx, 14, Instructions, Zmm),
        new("rdpid", 7, 0, Ecx, 22, Instructions),
        new("movdiri", 7, 0, Ecx, 27, Instructions),
        new("movdir64b", 7, 0, Ecx, 28, Instructions),
        new("avx512_4vnniw", 7, 0, Edx, 2, Instructions, Zmm),
        new("avx512_4fmaps", 7, 0, Edx, 3, Instructions, Zmm),
        new("fsrm", 7, 0, Edx, 4, PerformanceHint),
        new("avx512_vp2intersect", 7, 0, Edx, 8, Instructions, Zmm),
        new("serialize", 7, 0, Edx, 14, Instructions),
        new("tsxldtrk", 7, 0, Edx, 16, Instructions),
        new("amx_bf16", 7, 0, Edx, 22, Instructions, Tiles),
        new("avx512_fp16", 7, 0, Edx, 23, Instructions, Zmm),
        new("amx_tile", 7, 0, Edx, 24, Instructions, Tiles),
        new("amx_int8", 7, 0, Edx, 25, Instructions, Tiles),
        new("avx_vnni", 7, 1, Eax, 4, Instructions, Ymm),
        new("avx512_bf16", 7, 1, Eax, 5, Instructions, Zmm),
        new("fzrm", 7, 1, Eax, 10, PerformanceHint),
        new("fsrs", 7, 1, Eax, 11, PerformanceHint),
        new("fsrc", 7, 1, Eax, 12, PerformanceHint),
        new("avx_ifma", 7, 1, Eax, 23, Instructions, Ymm),
        new("xsaveopt", 0xd, 1, Eax, 0, Instructions),
        // glibc's lazy binding trampoline (_dl_runtime_resolve) saves vector registers with xsavec where it exists.
        new("xsavec", 0xd, 1, Eax, 1, Instructions),
        new("lahf_lm", 0x8000_0001, 0, Ecx, 0, Instructions),
        new("abm", 0x8000_0001, 0, Ecx, 5, Instructions),
        new("sse4a", 0x8000_0001, 0, Ecx, 6, VendorExtension),
        new("3dnowprefetch", 0x8000_0001, 0, Ecx, 8, VendorExtension),
        new("xop", 0x8000_0001, 0, Ecx, 11, VendorExtension, Ymm),
        new(Fma4, 0x8000_0001, 0, Ecx, 16, VendorExtension, Ymm),
        new("tbm", 0x8000_0001, 0, Ecx, 21, VendorExtension),
        new("mmxext", 0x8000_0001, 0, Edx, 22, VendorExtension),
        new("rdtscp", 0x8000_0001, 0, Edx, 27, Instructions),
        new("lm", 0x8000_0001, 0, Edx, 29, Instructions),
        new("3dnowext", 0x8000_0001, 0, Edx, 30, VendorExtension),
        new("3dnow", 0x8000_0001, 0, Edx, 31, VendorExtension),
        new("clzero", 0x8000_0008, 0, Ebx, 0, VendorExtension),
        new("rdpru", 0x8000_0008, 0, Ebx, 4, VendorExtension),
    ];

    /// <summary>
    /// FMA4, AMD's own, is the one vendor extension glibc selects on: libm's ifuncs take it where
    /// FMA or AVX2 is missing (sysdeps/x86_64/fpu/multiarch/ifunc-avx-fma4.h).
    /// </summary>
    public const string Fma4 = "fma4";

    private static readonly Dictionary<string, CpuFeature> ByName = All.ToDictionary(f => f.Name);

    /// <summary>The feature called <paramref name="name"/> in /proc/cpuinfo, or null if Rewind does not decode it.</summary>
    public static CpuFeature? Named(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The names of the features <paramref name="cpu"/> has, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Of(CpuidTable cpu) => [.. All.Where(f => f.IsIn(cpu)).Select(f => f.Name)];
}
