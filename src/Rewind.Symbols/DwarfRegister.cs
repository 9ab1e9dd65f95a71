namespace Rewind.Symbols;

/// <summary>x86-64 DWARF register numbers (System V psABI, figure 3.36).</summary>
public static class DwarfRegister
{
    public const int Rax = 0, Rdx = 1, Rcx = 2, Rbx = 3, Rsi = 4, Rdi = 5, Rbp = 6, Rsp = 7,
        R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
        ReturnAddress = 16, Xmm0 = 17, Xmm15 = 32;

    /// <summary>Rip shares number 16 with the return-address column.</summary>
    public const int Rip = ReturnAddress;

    private static readonly string[] Names =
        ["rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip"];

    public static string Name(int register) =>
        register < Names.Length ? Names[register] : register <= Xmm15 ? $"xmm{register - Xmm0}" : $"r{register}";
}
