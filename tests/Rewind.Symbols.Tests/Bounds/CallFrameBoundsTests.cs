using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests.Bounds;

/// <summary>
/// Hand-made .eh_frame: a good CIE/FDE unwinds; malformed ones make the unwinder fall back to
/// frame pointers (the error is kept on the module), never crash or loop.
/// </summary>
public sealed class CallFrameBoundsTests
{
    private const ulong EhFrameAddress = 0x400;

    /// <summary>CIE "zR" (pcrel|sdata4), code align 1, data align -8, RA column 16, CFA = rsp+8, RA at CFA-8.</summary>
    private static ByteWriter Cie(byte[]? extraInstructions = null)
    {
        var body = new ByteWriter().U32(0).U8(1).CString("zR").Uleb(1).Sleb(-8).Uleb(16).Uleb(1).U8(0x1b)
            .U8(0x0c).Uleb(7).Uleb(8) // def_cfa rsp+8
            .U8(0x80 | 16).Uleb(1)    // offset r16 at cfa-8
            .Bytes(extraInstructions ?? []);
        while ((body.Length + 4) % 8 != 0)
            body.U8(0);
        return new ByteWriter().U32((uint)body.Length).Bytes(body.ToArray());
    }

    /// <summary>The CIE, then one FDE for [0x1000, 0x1100) with <paramref name="instructions"/>, then a terminator.</summary>
    private static byte[] EhFrame(byte[] instructions, byte[]? cieExtra = null)
    {
        var w = Cie(cieExtra);
        int fdeStart = w.Length;
        var fde = new ByteWriter().U32((uint)(fdeStart + 4)); // CIE pointer: back to offset 0
        int pcField = fdeStart + 8;
        fde.U32((uint)(0x1000 - (long)(EhFrameAddress + (ulong)pcField))).U32(0x100).Uleb(0).Bytes(instructions);
        while ((fde.Length + 4) % 8 != 0)
            fde.U8(0);
        w.U32((uint)fde.Length).Bytes(fde.ToArray()).U32(0);
        return w.ToArray();
    }

    private static SymbolTable Table(byte[] ehFrame) =>
        new([ElfBuilder.Module(ElfBuilder.Build((".text", new byte[0x100]), (".eh_frame", ehFrame)))]);

    private static FrameRegisters At(ulong pc, ulong sp, ulong bp)
    {
        var r = new FrameRegisters { Pc = pc, Sp = sp };
        r[DwarfRegister.Rbp] = bp;
        return r;
    }

    [Fact]
    public void Good_fde_unwinds_with_its_rules()
    {
        // At 0x1010 after "push rbp" (advance 4, def_cfa_offset 16, rbp at cfa-16).
        var table = Table(EhFrame(new ByteWriter().U8(0x44).U8(0x0e).Uleb(16).U8(0x80 | 6).Uleb(2).ToArray()));
        var memory = new FakeMemory().AddWords(0x7000, 0xbbbb, 0x1234_5678);
        var frames = table.Unwind(At(0x1010, 0x7000, 0x1), memory, pastMain: true);
        Assert.True(frames.Count >= 2);
        Assert.Equal(0x1234_5678ul, frames[1].Pc.Value);
        Assert.Equal(0xbbbbul, frames[1].Registers[DwarfRegister.Rbp]);
        Assert.Equal(0x7010ul, frames[1].Registers.Sp);
        Assert.Equal(0x7010ul, frames[0].Cfa?.Value);
    }

    private static void FallsBackToFramePointer(byte[] ehFrame, string error)
    {
        var table = Table(ehFrame);
        var memory = new FakeMemory().AddWords(0x8000, 0, 0x4242);
        var frames = table.Unwind(At(0x1010, 0x7000, 0x8000), memory, pastMain: true);
        Assert.Equal(0x4242ul, frames[1].Pc.Value);
        Assert.Contains(error, table.Modules[0].DebugInfoError, StringComparison.Ordinal);
    }

    [Fact]
    public void Remember_state_overflow() =>
        FallsBackToFramePointer(EhFrame(Enumerable.Repeat((byte)0x0a, 100).ToArray()), "remembered CFI states");

    [Fact]
    public void Restore_state_without_remember() =>
        FallsBackToFramePointer(EhFrame([0x0b]), "without a remembered state");

    [Fact]
    public void Unknown_instruction() =>
        FallsBackToFramePointer(EhFrame([0x3f]), "unknown call frame instruction");

    [Fact]
    public void Entry_longer_than_the_section()
    {
        var bytes = EhFrame([]);
        BitConverter.GetBytes(0x7000_0000u).CopyTo(bytes, 0);
        FallsBackToFramePointer(bytes, "beyond the section");
    }

    [Fact]
    public void Fde_pointing_at_an_fde()
    {
        var bytes = EhFrame([]);
        int fde = (int)BitConverter.ToUInt32(bytes, 0) + 4;
        // A CIE pointer of 4 points at the FDE's own id field, which is not a CIE.
        BitConverter.GetBytes(4u).CopyTo(bytes, fde + 4);
        FallsBackToFramePointer(bytes, "which is not a CIE");
    }

    [Fact]
    public void Unknown_augmentation_without_z()
    {
        var bytes = EhFrame([]);
        bytes[9] = (byte)'Q'; // "zR" -> "QR"
        FallsBackToFramePointer(bytes, "unknown augmentation");
    }

    [Fact]
    public void Cfa_expression_that_loops_is_capped()
    {
        // DW_CFA_def_cfa_expression { DW_OP_skip -3 }: an endless loop.
        var loop = new ByteWriter().U8(0x0f).Uleb(3).U8(0x2f).U16(unchecked((ushort)-3)).ToArray();
        FallsBackToFramePointer(EhFrame(loop), "more than 100000 operations");
    }

    [Fact]
    public void Frame_pointer_chain_that_loops_ends()
    {
        // No CFI: rbp points at itself, so every caller looks the same.
        var table = new SymbolTable([ElfBuilder.Module(ElfBuilder.Build((".text", new byte[0x100])))]);
        var memory = new FakeMemory().AddWords(0x8000, 0x8000, 0x1050);
        var frames = table.Unwind(At(0x1010, 0x7000, 0x8000), memory, maxFrames: 1000, pastMain: true);
        Assert.True(frames.Count <= 3, $"{frames.Count} frames");
    }
}
