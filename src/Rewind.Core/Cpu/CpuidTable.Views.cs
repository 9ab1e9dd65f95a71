using static Rewind.Cpu.CpuidRegister;

namespace Rewind.Cpu;

/// <summary>
/// The tables a recorder that traps CPUID (arch_prctl ARCH_SET_CPUID) shows the recorded program in
/// place of this CPU's: the program selects its code by them, and replay answers from the same table.
/// </summary>
public sealed partial class CpuidTable
{
    /// <summary>
    /// The instructions whose results replay cannot give back, by their cpuinfo names. rr hides RDRAND,
    /// RDSEED, RTM and XSAVEOPT where it traps CPUID (src/RecordSession.cc,
    /// DisableCPUIDFeatures::amend_cpuid_data); programs then take getrandom and ordinary locks
    /// (libstdc++'s std::random_device prefers rdseed and rdrand where CPUID shows them).
    /// <list type="bullet">
    /// <item>rdrand, rdseed: numbers from the CPU's random generator.</item>
    /// <item>hle, rtm: a TSX transaction aborts for reasons outside the program (interrupts, cache
    /// evictions, other cores' accesses), and the abort runs other code (Intel SDM vol. 1, ch. 16).</item>
    /// <item>rdpid: reads IA32_TSC_AUX, the kernel's CPU number, which the rdtsc trap (PR_SET_TSC) does
    /// not catch, as it catches rdtscp.</item>
    /// <item>rdpru: AMD's read of the MPERF and APERF cycle counts (AMD APM vol. 3, RDPRU): clocks no trap
    /// catches.</item>
    /// <item>waitpkg: UMWAIT and TPAUSE set CF where the OS time limit ended the wait (Intel SDM vol. 2B),
    /// and UMWAIT also ends on another thread's store: the result is timing.</item>
    /// <item>xsaveopt: skips the components not modified since the last XRSTOR from the same area (Intel
    /// SDM vol. 1, 13.9, the modified optimization), which a context switch's restore of the thread's
    /// state resets: what it writes to memory depends on the scheduler.</item>
    /// </list>
    /// </summary>
    private static readonly CpuFeature[] Unreplayable =
        [.. new[] { "rdrand", "rdseed", "hle", "rtm", "rdpid", "rdpru", "waitpkg", "xsaveopt" }.Select(name => KnownFeatures.Named(name)!)];

    /// <summary>
    /// x86-64-v3 (x86-64 psABI, "Micro-architecture levels": v1 CMOV CX8 FPU FXSR MMX SSE SSE2; v2
    /// CMPXCHG16B LAHF-SAHF POPCNT SSE3 SSE4_1 SSE4_2 SSSE3; v3 AVX AVX2 BMI1 BMI2 F16C FMA LZCNT MOVBE) by
    /// the names <see cref="KnownFeatures"/> decodes, with XSAVE, which saving AVX's state needs, and long
    /// mode. The levels' SCE and OSXSAVE are no instructions: <see cref="BaselineKeeps"/> has them.
    /// </summary>
    private static readonly string[] BaselineFeatures =
        ["fpu", "cx8", "cmov", "mmx", "fxsr", "sse", "sse2", "lm", "cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3",
         "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"];

    /// <summary>
    /// Leaf 1 edx's bits that every x86-64 CPU sets (Intel SDM vol. 2A, CPUID, "Feature Information
    /// Returned in the EDX Register"): no program selects code by them, but a table without them
    /// describes no real CPU. DE 2, PSE 3, TSC 4 (programs test it before rdtsc), MSR 5, PAE 6, MCE 7,
    /// APIC 9, SEP 11, MTRR 12, PGE 13, MCA 14, PAT 16, PSE-36 17, CLFSH 19 (ebx[15:8] keeps its line
    /// size), and HTT 28, as recorded: it says ebx[23:16] counts the logical processors, which glibc
    /// then reads (sysdeps/x86/dl-cacheinfo.h). Cleared: VME 1 (virtual-8086 mode, which long mode lacks),
    /// PSN 18, and Intel's DS 21, ACPI 22, SS 27, TM 29, PBE 31 (debug store and thermal control, the
    /// kernel's).
    /// </summary>
    private static readonly uint ArchitecturalLeaf1Edx = Bits(2, 3, 4, 5, 6, 7, 9, 11, 12, 13, 14, 16, 17, 19, 28);

    /// <summary>The bits of 0x80000001 edx that repeat leaf 1 edx's on AMD (AMD APM vol. 3, CPUID Fn8000_0001_EDX); reserved, 0, on Intel.</summary>
    private static readonly uint RepeatsLeaf1Edx = Bits(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 23, 24);

    /// <summary>
    /// This CPU's answers with the instructions whose results replay cannot reproduce hidden
    /// (<see cref="Unreplayable"/>), everything else as it is.
    /// </summary>
    public CpuidTable Deterministic() => new(Leaves.Select(l => Unreplayable
        .Where(f => f.Leaf == l.Leaf && f.Subleaf == l.Subleaf)
        .Aggregate(l, (answer, f) => answer.Without(f.Register, 1u << f.Bit))));

    /// <summary>
    /// A table any x86-64-v3 machine can replay: the feature bits of x86-64-v3 (<see cref="BaselineFeatures"/>)
    /// and the bits that describe the machine rather than instructions, every other feature bit
    /// cleared (a whitelist, so a feature Rewind does not know is not shown), the leaves of extensions
    /// outside it removed (<see cref="InBaseline"/>), and the vendor, family, model, brand, caches and
    /// topology as recorded: glibc tunes by them, and a neutral vendor would send glibc and JITs down
    /// paths nobody runs. The result hides what <see cref="Deterministic"/> hides.
    /// Leaf 0xd stays as recorded but for subleaf 1's feature bits: XCR0, which xgetbv reads and no
    /// trap catches, is this CPU's, and glibc sizes ld.so's register save area from leaf 0xd
    /// (sysdeps/x86/cpu-features.c, update_active), so the sizes must describe the state the CPU
    /// really saves; the checkpoints' XSAVE layout is read from it too (<see cref="XsaveLayout"/>).
    /// AVX-512 hidden in leaf 7 is enough for glibc not to select it: its "usable" needs the CPUID bit
    /// and the XCR0 bits both.
    /// </summary>
    public CpuidTable Baseline() => new(Leaves.Where(l => InBaseline(l.Leaf)).Select(l => l with
    {
        Eax = l.Eax & BaselineKeeps(l.Leaf, l.Subleaf, CpuidRegister.Eax),
        Ebx = l.Ebx & BaselineKeeps(l.Leaf, l.Subleaf, CpuidRegister.Ebx),
        Ecx = l.Ecx & BaselineKeeps(l.Leaf, l.Subleaf, CpuidRegister.Ecx),
        Edx = l.Edx & BaselineKeeps(l.Leaf, l.Subleaf, CpuidRegister.Edx),
    }));

    /// <summary>
    /// The bits of one register of one answer that the baseline keeps: all of a register that holds no
    /// feature bits (leaf 1's signature and ebx, leaf 7's highest subleaf, leaf 0xd but subleaf 1's eax,
    /// 0x80000008's address sizes and core count …), of a feature register its baseline bits.
    /// </summary>
    private static uint BaselineKeeps(uint leaf, uint subleaf, CpuidRegister register) => (leaf, subleaf, register) switch
    {
        // The hypervisor bit, 31, is cleared with the rest: the recording's VM is not the replaying
        // machine's, and a program shown the bit reads the hypervisor's leaves (0x40000000 on), which
        // the table does not hold.
        (1, _, Ecx) => FeatureBits(1, 0, Ecx) | OsXsave,
        (1, _, Edx) => FeatureBits(1, 0, Edx) | ArchitecturalLeaf1Edx,
        (7, 0, Eax) => ~0u,
        (7, _, _) => FeatureBits(7, subleaf, register),
        // XSAVEOPT (see Unreplayable), XSAVEC, XGETBV with ecx = 1, XSAVES, XFD: none is x86-64-v3.
        // Without XSAVEC glibc saves registers with XSAVE, in the standard format leaf 0xd describes.
        (0xd, 1, Eax) => 0,
        // CmpLegacy 1 and TopologyExtensions 22 (AMD APM vol. 3, CPUID Fn8000_0001_ECX) say how to read
        // the topology kept as recorded (leaf 1 ebx's count, leaves 0x8000001d and 0x8000001e).
        (0x8000_0001, _, Ecx) => FeatureBits(0x8000_0001, 0, Ecx) | Bits(1, 22),
        // SysCallSysRet 11 (x86-64-v1's SCE) and NX 20; on AMD, leaf 1 edx's kept bits again.
        (0x8000_0001, _, Edx) => FeatureBits(0x8000_0001, 0, Edx) | Bits(11, 20) | (BaselineKeeps(1, 0, Edx) & RepeatsLeaf1Edx),
        // Invariant TSC, edx bit 8: programs test it before taking rdtsc as a clock, and replay gives
        // back the recorded CPU's rdtsc values. The rest is power management and RAS, the kernel's.
        (0x8000_0007, _, Edx) => Bits(8),
        (0x8000_0007, _, _) => 0,
        // ebx: CLZERO, RDPRU, WBNOINVD, speculation controls; edx: INVLPGB's and RDPRU's limits.
        (0x8000_0008, _, Ebx or Edx) => 0,
        _ => ~0u,
    };

    /// <summary>Leaf 1 ecx bit 27, OSXSAVE: the OS set CR4.OSXSAVE, without which no AVX instruction runs.</summary>
    private const uint OsXsave = 1u << 27;

    /// <summary>
    /// Whether the baseline answers <paramref name="leaf"/> rather than zeros: the vendor and highest
    /// leaves (0, 0x80000000), the feature leaves (1, 7, 0xd, 0x80000001, 0x80000007, 0x80000008), the
    /// brand (0x80000002..4), the caches, TLBs and topology glibc's tuning reads (2, 4, 0xb, 0x18, 0x1f,
    /// 0x80000005, 0x80000006, 0x80000019, 0x8000001d, 0x8000001e, 0x80000026), and the TSC and clock
    /// frequencies (0x15, 0x16), which describe the recorded rdtsc values replay gives back. Removed, as
    /// describing what the baseline lacks (Intel SDM vol. 2A, CPUID, "Information Returned by CPUID
    /// Instruction"; AMD APM vol. 3, appendix E): 3 serial number, 5 MONITOR/MWAIT, 6 power management,
    /// 9 direct cache access, 0xa and 0x23 performance monitoring, 0xf and 0x10 resource director
    /// technology, 0x12 SGX, 0x14 processor trace, 0x17 SoC vendor, 0x19 Key Locker, 0x1a hybrid core
    /// type, 0x1b PCONFIG, 0x1c architectural LBRs, 0x1d and 0x1e AMX tiles, 0x20 HRESET, 0x21 TDX,
    /// 0x24 AVX10; AMD's 0x8000000a SVM, 0x8000001a performance hints, 0x8000001b IBS, 0x8000001c LWP,
    /// 0x8000001f SEV, 0x80000020 platform QoS, 0x80000021 extended features 2, 0x80000022 performance
    /// monitoring, 0x80000023 memory encryption; and any leaf not named here, a new one included.
    /// </summary>
    private static bool InBaseline(uint leaf) => leaf is 0 or 1 or 2 or 4 or 7 or 0xb or 0xd or 0x15 or 0x16 or 0x18 or 0x1f
        or (>= 0x8000_0000 and <= 0x8000_0008) or 0x8000_0019 or 0x8000_001d or 0x8000_001e or 0x8000_0026;

    /// <summary>The bits <see cref="BaselineFeatures"/> have in one register of one answer.</summary>
    private static uint FeatureBits(uint leaf, uint subleaf, CpuidRegister register) => BaselineFeatures
        .Select(name => KnownFeatures.Named(name)!)
        .Where(f => f.Leaf == leaf && f.Subleaf == subleaf && f.Register == register)
        .Aggregate(0u, (bits, f) => bits | (1u << f.Bit));

    private static uint Bits(params int[] bits) => bits.Aggregate(0u, (mask, bit) => mask | (1u << bit));
}
