using System.Buffers.Binary;
using Iced.Intel;

namespace Rewind.Recording;

/// <summary>
/// A syscall site that can be patched to Rewind's page of hooked syscalls: the instruction at
/// <see cref="At"/> that sets its number, then the instructions between it and the
/// <c>syscall</c> at <see cref="Syscall"/> (<see cref="Moved"/>, none where the two are side by
/// side, as in most of glibc's wrappers; ld.so's open sets its arguments between them). The stub
/// runs the moved instructions itself, so only the number's instruction changes, for one as long;
/// those between stay as they are, for a thread stopped among them and for code that jumps there.
/// A <c>mov eax, NR</c> (5 bytes) becomes the jump to the stub. read's <c>xor eax, eax</c> (2
/// bytes) becomes a short jump to <see cref="Hop"/>: padding after the function's next return
/// (or jump), which no code runs, where the jump to the stub goes.
/// </summary>
internal sealed record SyscallSite(RemotePtr At, byte[] Moved, RemotePtr Syscall, RemotePtr? Hop = null)
{
    private const int MovLength = 5, XorLength = 2, JumpLength = 5;

    /// <summary>The furthest a short jump reaches forward from its end.</summary>
    private const int ShortReach = 127;

    /// <summary>The most bytes of instructions between the mov and the syscall.</summary>
    private const int MaxMoved = 16;

    /// <summary>
    /// The site of syscall <paramref name="nr"/> whose <c>syscall</c> instruction is at
    /// <paramref name="syscall"/> in <paramref name="memory"/>: the nearest <c>mov eax, NR</c>
    /// before it from which plain instructions (<see cref="MovesPlainly"/>) lead exactly to it;
    /// null where there is none. The mov's first byte may not follow a byte that would make it
    /// another instruction as its prefix: a REX (<c>41 b8</c> is <c>mov r8d, imm32</c>, <c>48 b8</c>
    /// a 10-byte <c>mov rax, imm64</c>), the operand size (<c>66 b8</c> takes a 2-byte immediate)
    /// or the address size. Any other prefix leaves the mov as it is, and the jump that replaces it
    /// a jump. A read's site is its <c>xor eax, eax</c> (<see cref="FindXor"/>), whose hop may not
    /// be one of <paramref name="hopsTaken"/>.
    /// </summary>
    public static SyscallSite? Find(IMemoryReader memory, RemotePtr syscall, int nr, IReadOnlySet<ulong> hopsTaken)
    {
        if (nr == 0)
        {
            return FindXor(memory, syscall, hopsTaken);
        }
        var start = syscall - (ulong)(1 + MovLength + MaxMoved);
        var code = new byte[1 + MovLength + MaxMoved + 2];
        if (memory.Read(start, code) != code.Length || code[^2] != 0x0f || code[^1] != 0x05)
        {
            return null;
        }
        int syscallAt = code.Length - 2;
        for (int moved = 0; moved <= MaxMoved; moved++)
        {
            int mov = syscallAt - moved - MovLength;
            if (code[mov] == 0xb8 && BinaryPrimitives.ReadInt32LittleEndian(code.AsSpan(mov + 1)) == nr
                && !WouldPrefix(code[mov - 1]) && LeadsPlainly(code.AsSpan(mov + MovLength, moved), start + (ulong)(mov + MovLength)))
            {
                return new SyscallSite(start + (ulong)mov, code[(mov + MovLength)..syscallAt], syscall);
            }
        }
        return null;
    }

    /// <summary>
    /// The site of a read whose <c>syscall</c> is at <paramref name="syscall"/>: an <c>xor eax, eax</c>
    /// right before it (not after a byte that would prefix it), with a hop within a short jump's
    /// reach that no site has taken; null where there is none.
    /// </summary>
    private static SyscallSite? FindXor(IMemoryReader memory, RemotePtr syscall, IReadOnlySet<ulong> hopsTaken)
    {
        var at = syscall - XorLength;
        Span<byte> code = stackalloc byte[1 + XorLength + 2];
        if (memory.Read(at - 1, code) != code.Length || WouldPrefix(code[0]) || code[1] != 0x31 || code[2] != 0xc0 || code[3] != 0x0f || code[4] != 0x05)
        {
            return null;
        }
        return HopAfter(memory, syscall + 2, at + XorLength + ShortReach, hopsTaken) is { } hop ? new SyscallSite(at, [], syscall, hop) : null;
    }

    /// <summary>
    /// Room for a jump in the padding that follows a return or an unconditional jump, decoded on
    /// from <paramref name="from"/> (an instruction's start), that ends by <paramref name="reach"/>:
    /// nops or int3s, which only the alignment of the code after them put there. Null where none is.
    /// </summary>
    private static RemotePtr? HopAfter(IMemoryReader memory, RemotePtr from, RemotePtr reach, IReadOnlySet<ulong> hopsTaken)
    {
        var code = new byte[reach.Value + JumpLength - from.Value];
        int n = memory.Read(from, code);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code, 0, n), from.Value);
        bool ended = false;
        ulong padding = 0;
        while (decoder.IP < from.Value + (ulong)n)
        {
            var instruction = decoder.Decode();
            if (instruction.IsInvalid)
            {
                return null;
            }
            if (ended && instruction.Mnemonic is Mnemonic.Nop or Mnemonic.Int3)
            {
                padding = padding == 0 ? instruction.IP : padding;
                if (instruction.NextIP - padding >= JumpLength && padding <= reach.Value && !hopsTaken.Contains(padding))
                {
                    return new RemotePtr(padding);
                }
                continue;
            }
            ended = instruction.FlowControl is FlowControl.Return or FlowControl.UnconditionalBranch or FlowControl.IndirectBranch;
            padding = 0;
        }
        return null;
    }

    /// <summary>Whether <paramref name="code"/>, at <paramref name="ip"/>, is whole instructions that each move plainly.</summary>
    private static bool LeadsPlainly(ReadOnlySpan<byte> code, RemotePtr ip)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code.ToArray()), ip.Value);
        ulong end = ip.Value + (ulong)code.Length;
        while (decoder.IP < end)
        {
            var instruction = decoder.Decode();
            if (instruction.IsInvalid || !MovesPlainly(instruction))
            {
                return false;
            }
        }
        return decoder.IP == end;
    }

    /// <summary>
    /// Whether <paramref name="i"/> runs the same in a stub, before the stub's own code: it goes on
    /// to the next instruction, uses general registers alone (a <c>lea</c> computes an address
    /// without reading it), none relative to rip, reads nor writes rax (the number the mov set),
    /// and leaves rsp as it was.
    /// </summary>
    private static bool MovesPlainly(in Instruction i)
    {
        if (i.FlowControl != FlowControl.Next || i.IsIPRelativeMemoryOperand)
        {
            return false;
        }
        for (int op = 0; op < i.OpCount; op++)
        {
            var kind = i.GetOpKind(op);
            if (kind != OpKind.Register && !IsImmediate(kind) && !(kind == OpKind.Memory && i.Mnemonic == Mnemonic.Lea))
            {
                return false;
            }
        }
        foreach (var used in new InstructionInfoFactory().GetInfo(i).GetUsedRegisters())
        {
            var full = used.Register.GetFullRegister();
            if (!full.IsGPR64() || full == Register.RAX || full == Register.RSP && used.Access != OpAccess.Read)
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsImmediate(OpKind kind) => kind is OpKind.Immediate8 or OpKind.Immediate8_2nd or OpKind.Immediate16 or OpKind.Immediate32
        or OpKind.Immediate64 or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64;

    /// <summary>Whether a byte right before an instruction would make it another, as its prefix: a REX (0x40-0x4f), the operand or the address size's (0x66, 0x67).</summary>
    private static bool WouldPrefix(byte b) => b is >= 0x40 and <= 0x4f or 0x66 or 0x67;
}
