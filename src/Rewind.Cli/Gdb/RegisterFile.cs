using System.Buffers.Binary;

namespace Rewind.Cli.Gdb;

/// <summary>
/// The bytes of every register at one stop, laid out as <see cref="TargetDescription"/> numbers
/// them: the 'g' packet is all of it, 'p' one slice. x87/SSE values come from the FXSAVE legacy
/// area at the front of the XSAVE buffer; the AVX upper halves from the YMM_Hi128 component at
/// its standard (non-compacted) offset 576, which is what PTRACE_GETREGSET NT_X86_XSTATE returns.
/// </summary>
internal sealed class RegisterFile
{
    private const int YmmHiOffset = 576;

    private readonly byte[] _bytes;
    private readonly int[] _offsets;

    private RegisterFile(byte[] bytes, int[] offsets)
    {
        _bytes = bytes;
        _offsets = offsets;
    }

    public ReadOnlySpan<byte> All => _bytes;

    public int Count => _offsets.Length - 1;

    public ReadOnlySpan<byte> One(int number) => _bytes.AsSpan(_offsets[number], _offsets[number + 1] - _offsets[number]);

    /// <summary>Whether an XSAVE buffer this long holds the AVX upper halves.</summary>
    public static bool HasAvx(int xsaveLength) => xsaveLength >= YmmHiOffset + 256;

    public static RegisterFile Of(TargetDescription description, in Registers r, ReadOnlySpan<byte> xsave)
    {
        var regs = description.Registers;
        var offsets = new int[regs.Count + 1];
        for (int i = 0; i < regs.Count; i++)
        {
            offsets[i + 1] = offsets[i] + regs[i].Bytes;
        }
        var bytes = new byte[offsets[^1]];
        Span<byte> legacy = stackalloc byte[512];
        xsave[..Math.Min(512, xsave.Length)].CopyTo(legacy);
        for (int i = 0; i < regs.Count; i++)
        {
            Fill(regs[i].Name, r, legacy, xsave, bytes.AsSpan(offsets[i], regs[i].Bytes));
        }
        return new RegisterFile(bytes, offsets);
    }

    private static void Fill(string name, in Registers r, ReadOnlySpan<byte> fx, ReadOnlySpan<byte> xsave, Span<byte> to)
    {
        switch (name)
        {
            case "rax": Put(to, r.Rax); break;
            case "rbx": Put(to, r.Rbx); break;
            case "rcx": Put(to, r.Rcx); break;
            case "rdx": Put(to, r.Rdx); break;
            case "rsi": Put(to, r.Rsi); break;
            case "rdi": Put(to, r.Rdi); break;
            case "rbp": Put(to, r.Rbp); break;
            case "rsp": Put(to, r.Rsp); break;
            case "r8": Put(to, r.R8); break;
            case "r9": Put(to, r.R9); break;
            case "r10": Put(to, r.R10); break;
            case "r11": Put(to, r.R11); break;
            case "r12": Put(to, r.R12); break;
            case "r13": Put(to, r.R13); break;
            case "r14": Put(to, r.R14); break;
            case "r15": Put(to, r.R15); break;
            case "rip": Put(to, r.Rip); break;
            case "eflags": Put(to, r.Eflags); break;
            case "cs": Put(to, r.Cs); break;
            case "ss": Put(to, r.Ss); break;
            case "ds": Put(to, r.Ds); break;
            case "es": Put(to, r.Es); break;
            case "fs": Put(to, r.Fs); break;
            case "gs": Put(to, r.Gs); break;
            case "orig_rax": Put(to, r.OrigRax); break;
            case "fs_base": Put(to, r.FsBase); break;
            case "gs_base": Put(to, r.GsBase); break;
            // FXSAVE: fcw 0, fsw 2, abridged ftw 4, fop 6, fip 8, fcs 12, fdp 16, fds 20, mxcsr 24,
            // st0-7 at 32 + 16 i, xmm0-15 at 160 + 16 i (Intel SDM vol. 1, table 10-2).
            case "fctrl": Put(to, BinaryPrimitives.ReadUInt16LittleEndian(fx)); break;
            case "fstat": Put(to, BinaryPrimitives.ReadUInt16LittleEndian(fx[2..])); break;
            case "ftag": Put(to, X87.FullTagWord(fx)); break;
            case "fop": Put(to, BinaryPrimitives.ReadUInt16LittleEndian(fx[6..]) & 0x7ffu); break;
            case "fioff": Put(to, BinaryPrimitives.ReadUInt32LittleEndian(fx[8..])); break;
            case "fiseg": Put(to, BinaryPrimitives.ReadUInt16LittleEndian(fx[12..])); break;
            case "fooff": Put(to, BinaryPrimitives.ReadUInt32LittleEndian(fx[16..])); break;
            case "foseg": Put(to, BinaryPrimitives.ReadUInt16LittleEndian(fx[20..])); break;
            case "mxcsr": Put(to, BinaryPrimitives.ReadUInt32LittleEndian(fx[24..])); break;
            default:
                FillVector(name, fx, xsave, to);
                break;
        }
    }

    private static void FillVector(string name, ReadOnlySpan<byte> fx, ReadOnlySpan<byte> xsave, Span<byte> to)
    {
        if (name.StartsWith("st", StringComparison.Ordinal))
        {
            fx.Slice(32 + 16 * int.Parse(name[2..]), 10).CopyTo(to);
        }
        else if (name.StartsWith("xmm", StringComparison.Ordinal))
        {
            fx.Slice(160 + 16 * int.Parse(name[3..]), 16).CopyTo(to);
        }
        else if (name.StartsWith("ymm", StringComparison.Ordinal) && name.EndsWith('h'))
        {
            int at = YmmHiOffset + 16 * int.Parse(name[3..^1]);
            if (at + 16 <= xsave.Length)
            {
                xsave.Slice(at, 16).CopyTo(to);
            }
        }
    }

    private static void Put(Span<byte> to, ulong value)
    {
        Span<byte> le = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(le, value);
        le[..to.Length].CopyTo(to);
    }
}
