using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// A thread's registers as the runtime's data-access library asks for them: Windows' x64
/// CONTEXT record (winnt.h), whatever the target's OS, as ClrMD's Linux core-dump reader fills
/// it from a prstatus note.
/// </summary>
internal static class ThreadContext
{
    // CONTEXT_AMD64 | CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS (winnt.h): what ptrace's
    // general registers hold; no floating-point or debug registers.
    private const uint Flags = 0x100000 | 0x1 | 0x2 | 0x4;

    public static bool Write(in Registers r, Span<byte> context)
    {
        if (context.Length < AMD64Context.Size)
        {
            return false;
        }
        var c = new AMD64Context
        {
            ContextFlags = Flags,
            Cs = (ushort)r.Cs, Ds = (ushort)r.Ds, Es = (ushort)r.Es, Fs = (ushort)r.Fs, Gs = (ushort)r.Gs, Ss = (ushort)r.Ss,
            EFlags = (int)r.Eflags,
            Rax = r.Rax, Rcx = r.Rcx, Rdx = r.Rdx, Rbx = r.Rbx, Rsp = r.Rsp, Rbp = r.Rbp, Rsi = r.Rsi, Rdi = r.Rdi,
            R8 = r.R8, R9 = r.R9, R10 = r.R10, R11 = r.R11, R12 = r.R12, R13 = r.R13, R14 = r.R14, R15 = r.R15,
            Rip = r.Rip,
        };
        context.Clear();
        MemoryMarshal.Write(context, in c);
        return true;
    }
}
