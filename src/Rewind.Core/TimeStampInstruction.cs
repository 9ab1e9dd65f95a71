namespace Rewind;

/// <summary>rdtsc (0f 31) or rdtscp (0f 01 f9) at a faulting pc, and how to complete it by hand.</summary>
public sealed record TimeStampInstruction(bool IsRdtscp)
{
    public int Length => IsRdtscp ? 3 : 2;

    public static TimeStampInstruction? At(IMemoryReader memory, RemotePtr pc)
    {
        Span<byte> code = stackalloc byte[3];
        int n = memory.Read(pc, code);
        return n >= 2 && code[0] == 0x0f && code[1] == 0x31 ? new TimeStampInstruction(false)
            : n == 3 && code[0] == 0x0f && code[1] == 0x01 && code[2] == 0xf9 ? new TimeStampInstruction(true)
            : null;
    }

    /// <summary>Does what the instruction would have: edx:eax = counter, ecx = TSC_AUX for rdtscp, pc past it.</summary>
    public static void Complete(ref Registers regs, TimeStampInstruction instruction, ulong counter, uint aux)
    {
        regs.Rax = counter & 0xffffffff;
        regs.Rdx = counter >> 32;
        if (instruction.IsRdtscp)
        {
            regs.Rcx = aux;
        }
        regs.Rip += (ulong)instruction.Length;
    }
}
