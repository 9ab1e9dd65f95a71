namespace Rewind.Cpu;

/// <summary>The CPUID instruction (0f a2) at a faulting pc, and how to complete it from a recorded table.</summary>
public static class CpuidInstruction
{
    public const int Length = 2;

    /// <summary>Whether <paramref name="code"/>, the bytes read at a faulting pc, starts with CPUID.</summary>
    public static bool Is(ReadOnlySpan<byte> code) => code.Length >= Length && code[0] == 0x0f && code[1] == 0xa2;

    /// <summary>
    /// Does what the instruction would have on the recording CPU: eax, ebx, ecx, edx = the answer
    /// for leaf eax and subleaf ecx (32-bit results clear the upper halves), pc past it.
    /// </summary>
    public static void Complete(ref Registers regs, CpuidTable cpu)
    {
        var answer = cpu.Answer((uint)regs.Rax, (uint)regs.Rcx);
        regs.Rax = answer.Eax;
        regs.Rbx = answer.Ebx;
        regs.Rcx = answer.Ecx;
        regs.Rdx = answer.Edx;
        regs.Rip += Length;
    }
}
