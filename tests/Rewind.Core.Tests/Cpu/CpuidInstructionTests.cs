using Rewind.Core.Tests.Syscalls;
using Rewind.Cpu;

namespace Rewind.Core.Tests.Cpu;

public sealed class CpuidInstructionTests
{
    [Fact]
    public void Cpuid_is_recognized_in_the_bytes_at_the_faulting_pc()
    {
        Assert.True(CpuidInstruction.Is([0x0f, 0xa2, 0x90]));
        Assert.False(CpuidInstruction.Is([0x0f, 0x31])); // rdtsc
        Assert.False(CpuidInstruction.Is([0x0f])); // cut off by unmapped memory
        Assert.False(CpuidInstruction.Is([]));
    }

    [Fact]
    public void Complete_answers_leaf_and_subleaf_from_the_recorded_cpu()
    {
        var regs = new Registers { Rax = 0xffff_ffff_0000_0007, Rcx = 0xffff_ffff_0000_0001, Rbx = ulong.MaxValue, Rdx = ulong.MaxValue, Rip = 0x401000 };
        CpuidInstruction.Complete(ref regs, CpuidDumps.Xeon);
        // Leaf 7 subleaf 1 of the Xeon; 32-bit results clear the registers' upper halves.
        Assert.Equal((0x1C30UL, 0UL, 0UL, 0UL), (regs.Rax, regs.Rbx, regs.Rcx, regs.Rdx));
        Assert.Equal(0x401002UL, regs.Rip);
        regs.Rax = 0;
        CpuidInstruction.Complete(ref regs, CpuidDumps.Epyc);
        Assert.Equal((0x10UL, 0x68747541UL, 0x444D4163UL, 0x69746E65UL), (regs.Rax, regs.Rbx, regs.Rcx, regs.Rdx));
    }
}
