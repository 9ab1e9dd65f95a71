namespace Rewind.Cpu;

/// <summary>The CPUID instruction (0f a2) at a faulting pc, and how to complete it from a recorded table.</summary>
public static class CpuidInstruction
{
    public const int Length = 2;

    /// <summary>
    /// Whether CPUID can be made to fault in this machine's processes: arch_prctl(2) ARCH_SET_CPUID
    /// tried on the calling thread and undone at once. It fails with ENODEV where the CPU or its
    /// hypervisor has no CPUID faulting (the cpuinfo flag <c>cpuid_fault</c>), and a container's
    /// seccomp filter may refuse it where the flag is there.
    /// </summary>
    public static bool Traps => CanFault.Value;

    private static readonly Lazy<bool> CanFault = new(() =>
        Linux.Interop.syscall(Syscalls.Nr.arch_prctl, Linux.Interop.ARCH_SET_CPUID, 0) == 0
        && Linux.Interop.syscall(Syscalls.Nr.arch_prctl, Linux.Interop.ARCH_SET_CPUID, 1) == 0);

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
