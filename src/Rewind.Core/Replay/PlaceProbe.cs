using Iced.Intel;
using Rewind.Linux;
using static Iced.Intel.AssemblerRegisters;

namespace Rewind.Replay;

/// <summary>
/// Finds a place (a pc and the registers there) with the program's own instructions instead of a
/// stop at every pass. The place's instruction, five bytes or longer, is overwritten with a jump
/// to a trampoline on a page of its own, which compares the general registers and the stack
/// pointer with the place's (on a stack of its own) and stops with an int3 only when they all match; otherwise it runs
/// the instruction, moved there by Iced's block encoder, and jumps back. A pass costs a few
/// nanoseconds, where an int3 and its step over cost two ptrace stops (tens of microseconds on
/// our VMs). The tracer still checks the whole place at the stop (flags, r11, fs_base and the
/// stack digest), so the trampoline only needs never to miss it: it compares a subset exactly.
/// The page exists only while the place is searched; it is unmapped before anything else runs.
/// </summary>
internal sealed class PlaceProbe
{
    /// <summary>A rel32 jump's length: the shortest instruction the probe can replace.</summary>
    private const int JumpLength = 5;

    /// <summary>The trampoline's mapping: a page of data, then a page of code.</summary>
    private const int Size = 2 * AddressSpace.PageSize;

    private readonly RemotePtr _page;
    private readonly byte[] _original;
    private readonly RemotePtr _hit, _execute, _back, _next;

    /// <summary>The place's pc, where the jump is.</summary>
    public RemotePtr Pc { get; }

    private PlaceProbe(RemotePtr pc, RemotePtr next, byte[] original, RemotePtr page, RemotePtr hit, RemotePtr execute, RemotePtr back)
    {
        Pc = pc;
        _next = next;
        _original = original;
        _page = page;
        _hit = hit;
        _execute = execute;
        _back = back;
    }

    /// <summary>
    /// Whether the instruction at <paramref name="pc"/> can carry a probe: five bytes or more, and
    /// the same wherever it runs once moved (not a call, which would push the trampoline's address).
    /// The recorder prefers such places for preemptions.
    /// </summary>
    public static bool Fits(in Instruction i) =>
        i.Length >= JumpLength && i.FlowControl is FlowControl.Next or FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch or FlowControl.IndirectBranch
        && !i.HasRepPrefix && !i.HasRepnePrefix;

    /// <summary>The instruction at <paramref name="pc"/>, null where none decodes.</summary>
    public static Instruction? Decode(IMemoryReader memory, RemotePtr pc)
    {
        var code = new byte[15];
        int n = memory.Read(pc, code);
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code, 0, n), pc.Value);
        var instruction = decoder.Decode();
        return instruction.IsInvalid ? null : instruction;
    }

    /// <summary>Puts a probe for <paramref name="place"/> into the stopped thread's process; null where the instruction or the address space does not allow one.</summary>
    public static PlaceProbe? Arm(Tracee tracee, in Registers place)
    {
        if (Decode(tracee, place.Pc) is not { } instruction || !Fits(instruction) || FreeRoomNear(tracee, place.Pc) is not { } wanted)
        {
            return null;
        }
        long mapped = tracee.InjectSyscall(Syscalls.Nr.mmap, wanted.Value, Size,
            Interop.PROT_READ | Interop.PROT_WRITE | Interop.PROT_EXEC, Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED_NOREPLACE, ulong.MaxValue, 0);
        if (mapped != (long)wanted.Value)
        {
            return null;
        }
        var page = wanted;
        var (code, entry, hit, execute, back) = Trampoline(page, instruction, place);
        tracee.Write(page, code);
        var original = new byte[JumpLength];
        tracee.Read(place.Pc, original);
        var jump = new byte[JumpLength];
        jump[0] = 0xe9;
        BitConverter.TryWriteBytes(jump.AsSpan(1), (int)((long)entry.Value - (long)(place.Pc.Value + JumpLength)));
        tracee.Write(place.Pc, jump);
        return new PlaceProbe(place.Pc, new RemotePtr(instruction.NextIP), original, page, hit, execute, back);
    }

    private static (byte[] Code, RemotePtr Entry, RemotePtr Hit, RemotePtr Execute, RemotePtr Back) Trampoline(RemotePtr at, in Instruction instruction, in Registers place)
    {
        var a = new Assembler(64);
        var miss = a.CreateLabel();
        var hit = a.CreateLabel();
        var execute = a.CreateLabel();
        var back = a.CreateLabel();
        var savedSp = a.CreateLabel();
        var stack = a.CreateLabel();
        var expectedSp = a.CreateLabel();
        (AssemblerRegister64 Register, ulong Value)[] compared =
        [
            (rax, place.Rax), (rcx, place.Rcx), (rdx, place.Rdx), (rbx, place.Rbx), (rbp, place.Rbp), (rsi, place.Rsi), (rdi, place.Rdi),
            (r8, place.R8), (r9, place.R9), (r10, place.R10), (r12, place.R12), (r13, place.R13), (r14, place.R14), (r15, place.R15),
        ];
        var values = compared.Select(_ => a.CreateLabel()).ToArray();
        // The flags are saved on a stack of the trampoline's own, on the first page: the program's
        // memory is not touched, not even below its red zone, where code may read what it left
        // there (GNU sort did). The code is on the second page: a store to a page being run costs
        // the CPU a flush of its pipeline every time.
        a.Label(ref savedSp);
        a.dq(0);
        // Room for the flags and rax, below the stack's top.
        a.dq(0);
        a.dq(0);
        a.Label(ref stack);
        a.db(new byte[AddressSpace.PageSize - 3 * 8]);
        var entry = a.CreateLabel();
        a.Label(ref entry);
        a.mov(__qword_ptr[savedSp], rsp);
        a.lea(rsp, __[stack]);
        a.pushfq();
        a.push(rax);
        a.mov(rax, __qword_ptr[savedSp]);
        a.cmp(rax, __qword_ptr[expectedSp]);
        a.pop(rax);
        a.jne(miss);
        for (int i = 0; i < compared.Length; i++)
        {
            a.cmp(compared[i].Register, __qword_ptr[values[i]]);
            a.jne(miss);
        }
        a.popfq();
        a.mov(rsp, __qword_ptr[savedSp]);
        a.Label(ref hit);
        a.int3();
        a.Label(ref miss);
        a.popfq();
        a.mov(rsp, __qword_ptr[savedSp]);
        a.Label(ref execute);
        a.AddInstruction(instruction);
        a.Label(ref back);
        a.jmp(instruction.NextIP);
        a.Label(ref expectedSp);
        a.dq(place.Rsp);
        for (int i = 0; i < compared.Length; i++)
        {
            var value = values[i];
            a.Label(ref value);
            a.dq(compared[i].Value);
        }
        var writer = new CodeWriterImpl();
        var result = a.Assemble(writer, at.Value, BlockEncoderOptions.ReturnNewInstructionOffsets);
        var code = writer.ToArray();
        if (code.Length > Size)
        {
            throw new InvalidOperationException("a place probe's trampoline outgrew its page");
        }
        return (code, new RemotePtr(result.GetLabelRIP(entry)), new RemotePtr(result.GetLabelRIP(hit)), new RemotePtr(result.GetLabelRIP(execute)), new RemotePtr(result.GetLabelRIP(back)));
    }

    /// <summary>Free room for the trampoline within reach of a rel32 jump from <paramref name="pc"/>, a page away from any mapping (no merging).</summary>
    private static RemotePtr? FreeRoomNear(Tracee tracee, RemotePtr pc)
    {
        const ulong Reach = (1UL << 31) - (1UL << 20);
        ulong low = pc.Value > Reach ? pc.Value - Reach : AddressSpace.PageSize * 16UL, high = pc.Value + Reach;
        var regions = AddressSpace.Read(tracee.Pid).Regions;
        RemotePtr? best = null;
        ulong bestDistance = ulong.MaxValue;
        for (int i = 0; i + 1 < regions.Count; i++)
        {
            ulong gapStart = regions[i].End.Value + AddressSpace.PageSize, gapEnd = regions[i + 1].Start.Value - AddressSpace.PageSize;
            if (gapEnd < gapStart + Size)
            {
                continue;
            }
            // The gap's room nearest the pc, kept within reach.
            ulong candidate = Math.Clamp(AddressSpace.PageDown(pc.Value), gapStart, gapEnd - Size);
            if (candidate < low || candidate > high)
            {
                continue;
            }
            ulong distance = candidate > pc.Value ? candidate - pc.Value : pc.Value - candidate;
            if (distance < bestDistance)
            {
                (best, bestDistance) = (new RemotePtr(candidate), distance);
            }
        }
        return best;
    }

    /// <summary>Whether <paramref name="pc"/> is in the trampoline.</summary>
    private bool Contains(RemotePtr pc) => pc >= _page && pc < _page + Size;

    /// <summary>
    /// Brings a thread stopped inside the trampoline back to the program's own pc, with the
    /// registers it has there; returns whether the stop was the probe's int3 (the place may be here).
    /// A stop in the middle of the comparison (a signal from outside) is stepped to its end first.
    /// </summary>
    public bool Leave(Tracee tracee)
    {
        var regs = tracee.GetRegisters();
        while (Contains(regs.Pc) && regs.Pc != _hit + 1 && regs.Pc != _execute && regs.Pc != _back)
        {
            tracee.Resume(Resume.Step);
            var status = tracee.Wait();
            if (!status.Stopped)
            {
                throw new RewindException($"the thread died in a place probe ({status})");
            }
            regs = tracee.GetRegisters();
        }
        if (!Contains(regs.Pc))
        {
            return false;
        }
        bool hit = regs.Pc == _hit + 1;
        // After the int3, and before the moved instruction, the thread is at the place's pc; after it, at the next instruction.
        regs.Rip = regs.Pc == _back ? _next.Value : Pc.Value;
        tracee.SetRegisters(regs);
        return hit;
    }

    /// <summary>Makes a thread standing at the place's pc, which is not the place, run its instruction without being compared again.</summary>
    public void PassOver(Tracee tracee)
    {
        var regs = tracee.GetRegisters();
        if (regs.Pc == Pc)
        {
            regs.Rip = _execute.Value;
            tracee.SetRegisters(regs);
        }
    }

    /// <summary>Shows the original bytes in <paramref name="buffer"/>, read at <paramref name="address"/>.</summary>
    public void Hide(RemotePtr address, Span<byte> buffer)
    {
        for (int i = 0; i < _original.Length; i++)
        {
            long at = (long)(Pc.Value + (ulong)i) - (long)address.Value;
            if (at >= 0 && at < buffer.Length)
            {
                buffer[(int)at] = _original[i];
            }
        }
    }

    /// <summary>Takes the probe out: the original instruction back, the trampoline unmapped.</summary>
    public void Disarm(Tracee tracee)
    {
        tracee.Write(Pc, _original);
        tracee.InjectSyscallChecked("munmap", Syscalls.Nr.munmap, _page.Value, Size);
    }

    private sealed class CodeWriterImpl : CodeWriter
    {
        private readonly List<byte> _bytes = [];

        public override void WriteByte(byte value) => _bytes.Add(value);

        public byte[] ToArray() => [.. _bytes];
    }
}
