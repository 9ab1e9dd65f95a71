using Iced.Intel;

namespace Rewind.Cpu;

/// <summary>A thread's registers as Iced reads them to compute a memory operand's address.</summary>
public static class OperandRegisters
{
    /// <summary>
    /// <paramref name="register"/>'s value in <paramref name="regs"/>: the general ones, fs's and
    /// gs's bases (TLS), and zero for the other segments (flat in 64-bit mode); false for any other.
    /// </summary>
    public static bool TryGetValue(in Registers regs, Register register, out ulong value)
    {
        value = register switch
        {
            Register.RAX => regs.Rax, Register.RCX => regs.Rcx, Register.RDX => regs.Rdx, Register.RBX => regs.Rbx,
            Register.RSP => regs.Rsp, Register.RBP => regs.Rbp, Register.RSI => regs.Rsi, Register.RDI => regs.Rdi,
            Register.R8 => regs.R8, Register.R9 => regs.R9, Register.R10 => regs.R10, Register.R11 => regs.R11,
            Register.R12 => regs.R12, Register.R13 => regs.R13, Register.R14 => regs.R14, Register.R15 => regs.R15,
            Register.FS => regs.FsBase, Register.GS => regs.GsBase,
            _ => 0,
        };
        return register is >= Register.RAX and <= Register.R15 or Register.FS or Register.GS or Register.ES or Register.CS or Register.SS or Register.DS;
    }
}
