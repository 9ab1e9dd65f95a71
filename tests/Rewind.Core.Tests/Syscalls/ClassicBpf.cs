using System.Buffers.Binary;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>
/// The few classic-BPF instructions a seccomp filter of ours uses, interpreted as the kernel would
/// (Documentation/networking/filter.rst): anything else is a test failure, not a guess.
/// </summary>
internal static class ClassicBpf
{
    private const ushort LdImm = 0x00, LdAbsW = 0x20, JeqK = 0x15, JgeK = 0x35, RetK = 0x06, RetA = 0x16;

    /// <summary>struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6].</summary>
    public static byte[] SeccompData(int nr, uint arch = 0xc000003e, params ulong[] args) => SeccompDataAt(nr, 0x401000, arch, args);

    /// <summary>struct seccomp_data of a syscall made from <paramref name="ip"/> (the address after its instruction).</summary>
    public static byte[] SeccompDataAt(int nr, ulong ip, uint arch = 0xc000003e, params ulong[] args)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8), ip);
        for (int i = 0; i < args.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + 8 * i), args[i]);
        return data;
    }

    public static uint Run(byte[] program, byte[] data)
    {
        Assert.True(program.Length % 8 == 0 && program.Length > 0, "a program is whole 8-byte instructions");
        int count = program.Length / 8;
        Assert.True(count <= 4096, "BPF_MAXINSNS is 4096");
        uint a = 0;
        for (int pc = 0, steps = 0; ; steps++)
        {
            Assert.True(pc < count, $"the program runs off its end at {pc}");
            Assert.True(steps <= count, "classic BPF only jumps forward");
            var insn = program.AsSpan(pc * 8, 8);
            ushort code = BinaryPrimitives.ReadUInt16LittleEndian(insn);
            byte jt = insn[2], jf = insn[3];
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(insn[4..]);
            switch (code)
            {
                case LdImm:
                    a = k;
                    pc++;
                    break;
                case LdAbsW:
                    Assert.True(k % 4 == 0 && k + 4 <= data.Length, $"load at {k} is outside seccomp_data");
                    a = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k));
                    pc++;
                    break;
                case JeqK:
                    pc += 1 + (a == k ? jt : jf);
                    break;
                case JgeK:
                    pc += 1 + (a >= k ? jt : jf);
                    break;
                case RetK:
                    return k;
                case RetA:
                    return a;
                default:
                    Assert.Fail($"unexpected BPF instruction 0x{code:x4} at {pc}");
                    return 0;
            }
        }
    }
}
