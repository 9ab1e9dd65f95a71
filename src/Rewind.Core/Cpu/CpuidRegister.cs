namespace Rewind.Cpu;

/// <summary>The output register of CPUID that holds a feature bit.</summary>
public enum CpuidRegister
{
    Eax,
    Ebx,
    Ecx,
    Edx,
}
