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
}
