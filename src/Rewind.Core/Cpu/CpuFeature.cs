namespace Rewind.Cpu;

/// <summary>
/// An instruction-set feature, named as Linux names it in /proc/cpuinfo, at its CPUID bit.
/// <paramref name="XsaveComponents"/> are the XSAVE state components (XCR0 bits) the OS must
/// enable before its instructions run: AVX needs the YMM state, AVX-512 the opmask and ZMM states.
/// </summary>
public sealed record CpuFeature(string Name, uint Leaf, uint Subleaf, CpuidRegister Register, int Bit, FeatureUse Use, ulong XsaveComponents = 0)
{
    /// <summary>Whether <paramref name="cpu"/> has it, and its XSAVE components where it needs some.</summary>
    public bool IsIn(CpuidTable cpu) =>
        (cpu.Answer(Leaf, Subleaf)[Register] & (1u << Bit)) != 0 && (XsaveComponents == 0 || cpu.CanSave(XsaveComponents));
}
