namespace Rewind.Cpu;

/// <summary>One CPUID answer: what the instruction put in eax, ebx, ecx and edx for eax = <paramref name="Leaf"/>, ecx = <paramref name="Subleaf"/>.</summary>
public readonly record struct CpuidLeaf(uint Leaf, uint Subleaf, uint Eax, uint Ebx, uint Ecx, uint Edx)
{
    /// <summary>The register <paramref name="register"/> of this answer.</summary>
    public uint this[CpuidRegister register] => register switch
    {
        CpuidRegister.Eax => Eax,
        CpuidRegister.Ebx => Ebx,
        CpuidRegister.Ecx => Ecx,
        _ => Edx,
    };

    /// <summary>This answer with <paramref name="bits"/> of <paramref name="register"/> cleared: a CPU without those features.</summary>
    public CpuidLeaf Without(CpuidRegister register, uint bits) => register switch
    {
        CpuidRegister.Eax => this with { Eax = Eax & ~bits },
        CpuidRegister.Ebx => this with { Ebx = Ebx & ~bits },
        CpuidRegister.Ecx => this with { Ecx = Ecx & ~bits },
        _ => this with { Edx = Edx & ~bits },
    };
}
