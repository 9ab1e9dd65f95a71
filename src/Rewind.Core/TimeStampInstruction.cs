namespace Rewind;

/// <summary>rdtsc (0f 31) or rdtscp (0f 01 f9) at a faulting pc, and how to complete it by hand.</summary>
public sealed record TimeStampInstruction(bool IsRdtscp)
{
    public int Length => IsRdtscp ? 3 : 2;

    private static readonly TimeStampInstruction Rdtsc = new(false), Rdtscp = new(true);

    /// <summary>The longest instruction a trap at a pc may be (rdtscp; CPUID is 2): a trap's code is read once, with this many bytes.</summary>
    public const int MaxLength = 3;

    public static TimeStampInstruction? At(IMemoryReader memory, RemotePtr pc)
    {
        Span<byte> code = stackalloc byte[MaxLength];
        return Of(code[..memory.Read(pc, code)]);
    }

    /// <summary>rdtsc or rdtscp at the start of <paramref name="code"/>, the bytes read at a faulting pc.</summary>
    public static TimeStampInstruction? Of(ReadOnlySpan<byte> code) =>
        code.Length >= 2 && code[0] == 0x0f && code[1] == 0x31 ? Rdtsc
        : code.Length >= 3 && code[0] == 0x0f && code[1] == 0x01 && code[2] == 0xf9 ? Rdtscp
        : null;

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
