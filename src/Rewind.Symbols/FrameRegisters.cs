using System.Runtime.InteropServices;

namespace Rewind.Symbols;

/// <summary>
/// The register values of one frame by DWARF register number (see <see cref="DwarfRegister"/>);
/// null where unknown (not saved by the callee, or never read). Xmm registers hold their low 64 bits.
/// </summary>
public sealed class FrameRegisters
{
    public const int Count = DwarfRegister.Xmm15 + 1;

    private readonly ulong?[] _values = new ulong?[Count];

    public ulong? this[int register]
    {
        get => (uint)register < Count ? _values[register] : null;
        set
        {
            if ((uint)register < Count)
                _values[register] = value;
        }
    }

    public ulong? Pc
    {
        get => this[DwarfRegister.Rip];
        set => this[DwarfRegister.Rip] = value;
    }

    public ulong? Sp
    {
        get => this[DwarfRegister.Rsp];
        set => this[DwarfRegister.Rsp] = value;
    }

    /// <summary>Fills the general registers from ptrace's user_regs_struct order (sys/user.h).</summary>
    public static FrameRegisters FromUserRegs(ReadOnlySpan<ulong> userRegs)
    {
        // r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss ...
        if (userRegs.Length < 20)
            throw new ArgumentException("user_regs_struct needs at least 20 words", nameof(userRegs));
        var r = new FrameRegisters();
        int[] order = [15, 14, 13, 12, 6, 3, 11, 10, 9, 8, 0, 2, 1, 4, 5];
        for (int i = 0; i < order.Length; i++)
            r[order[i]] = userRegs[i];
        r.Pc = userRegs[16];
        r.Sp = userRegs[19];
        return r;
    }

    /// <summary>ptrace's registers as the unwinder's register file.</summary>
    public static FrameRegisters Of(Registers registers) =>
        FromUserRegs(MemoryMarshal.Cast<Registers, ulong>(MemoryMarshal.CreateReadOnlySpan(ref registers, 1)));

    public FrameRegisters Clone()
    {
        var c = new FrameRegisters();
        _values.CopyTo(c._values, 0);
        return c;
    }
}
