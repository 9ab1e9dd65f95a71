using Iced.Intel;
using Rewind.Linux;
using Rewind.Trace;
using static Iced.Intel.AssemblerRegisters;

namespace Rewind.Replay;

/// <summary>
/// Finds a place (a pc and the registers there) with the program's own instructions instead of a
/// stop at every pass. The place's instruction, five bytes or longer, is overwritten with a jump
/// to a trampoline on a page of its own, which compares the general registers and the stack
/// pointer with the place's (on a stack of its own), then the digest of the top of the stack,
/// and stops with an int3 only when they all match; otherwise it runs
/// the instruction, moved there by Iced's block encoder, and jumps back. A pass costs a few
/// nanoseconds, where an int3 and its step over cost two ptrace stops (tens of microseconds on
/// our VMs). The tracer still checks the whole place at the stop (flags, r11, fs_base and the
/// stack digest again), so the trampoline only needs never to miss it: it compares a subset exactly.
/// The page exists only while the place is searched; it is unmapped before anything else runs.
/// An instruction of two to four bytes takes a short jump instead, to a relay: five bytes or more
/// of dead padding nearby (after a return or jump, up to where the next code is aligned), where
/// the jump to the trampoline goes. A loop of short register instructions has no other place.
/// </summary>
internal sealed class PlaceProbe
{
    /// <summary>A rel32 jump's length: the shortest instruction the probe can replace.</summary>
    private const int JumpLength = 5;

    /// <summary>The trampoline's mapping: a page of data, then a page of code.</summary>
    private const int Size = 2 * AddressSpace.PageSize;

    /// <summary>A rel8 jump's length: the shortest instruction a probe through a relay can replace.</summary>
    private const int ShortJumpLength = 2;

    private readonly RemotePtr _page;
    // Where the probe's bytes go where the place's mapping refuses a tracer's write (a W^X JIT's code view).
    private readonly SharedFiles _standIns;
    // The program's bytes the probe wrote over: at the place, and at the relay if there is one.
    private readonly (RemotePtr At, byte[] Bytes)[] _originals;
    private readonly RemotePtr? _relay;
    private readonly RemotePtr _hit, _execute, _back, _next;
    // The comparison of the loop's words (its only loads of the program's memory: from the entry
    // to its end), and where it keeps the registers it uses meanwhile.
    private readonly RemotePtr _entry, _loopWordsEnd, _savedRcx, _savedRdx;

    /// <summary>The place's pc, where the jump is.</summary>
    public RemotePtr Pc { get; }

    private PlaceProbe(RemotePtr pc, RemotePtr next, (RemotePtr, byte[])[] originals, RemotePtr? relay, RemotePtr page, TrampolineLabels labels, SharedFiles standIns)
    {
        _standIns = standIns;
        Pc = pc;
        _next = next;
        _originals = originals;
        _relay = relay;
        _page = page;
        (_entry, _loopWordsEnd, _savedRcx, _savedRdx, _hit, _execute, _back) = labels;
    }

    /// <summary>
    /// Whether the instruction <paramref name="i"/> can carry a probe: the same wherever it runs
    /// once moved (not a call, which would push the trampoline's address), and five bytes or more,
    /// or two or more with a relay within a short jump. The recorder prefers such places for preemptions.
    /// </summary>
    public static bool Fits(IMemoryReader memory, in Instruction i) =>
        i.FlowControl is FlowControl.Next or FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch or FlowControl.IndirectBranch
        && !i.HasRepPrefix && !i.HasRepnePrefix
        && (i.Length >= JumpLength || i.Length >= ShortJumpLength && RelayNear(memory, new RemotePtr(i.IP)) != null);

    /// <summary>
    /// Dead padding within a short jump of <paramref name="pc"/> with room for a rel32 jump: a run of
    /// no-ops and int3s that follows a return or an unconditional jump and ends where code is
    /// 16-byte aligned, which no branch of the code around enters. The bytes before the pc are
    /// decoded from a start whose instructions pass through the pc, so that they are the program's.
    /// </summary>
    private static RemotePtr? RelayNear(IMemoryReader memory, RemotePtr pc)
    {
        const int Before = 160, After = 160, Alignment = 16;
        ulong from = Math.Max(pc.Value, Before) - Before;
        var code = new byte[Before + After];
        int n = memory.Read(new RemotePtr(from), code);
        if (n <= (int)(pc.Value - from))
        {
            // The mapping starts after from: its first page is where the code starts.
            from = AddressSpace.PageDown(pc.Value);
            n = memory.Read(new RemotePtr(from), code);
        }
        for (int skew = 0; skew < Math.Min(Alignment, n); skew++)
        {
            var decoder = Decoder.Create(64, new ByteArrayCodeReader(code, skew, n - skew), from + (ulong)skew);
            var instructions = new List<Instruction>();
            while (decoder.IP < from + (ulong)n && decoder.Decode() is var i && !i.IsInvalid)
            {
                instructions.Add(i);
            }
            if (!instructions.Any(i => i.IP == pc.Value))
            {
                continue;
            }
            var targets = instructions.Where(i => i.IsJmpShortOrNear || i.IsJccShortOrNear || i.IsCallNear).Select(i => i.NearBranchTarget).ToHashSet();
            RemotePtr? best = null;
            for (int k = 0; k < instructions.Count; k++)
            {
                if (instructions[k].FlowControl is not (FlowControl.Return or FlowControl.UnconditionalBranch or FlowControl.IndirectBranch))
                {
                    continue;
                }
                int end = k + 1;
                while (end < instructions.Count && instructions[end].Mnemonic is Mnemonic.Nop or Mnemonic.Int3)
                {
                    end++;
                }
                ulong start = instructions[k].NextIP, stop = end < instructions.Count ? instructions[end].IP : 0;
                long reach = (long)start - (long)(pc.Value + ShortJumpLength);
                if (end > k + 1 && end < instructions.Count && stop - start >= JumpLength && stop % Alignment == 0
                    && reach is >= sbyte.MinValue and <= sbyte.MaxValue && !targets.Any(t => t > start && t < stop)
                    && (best is not { } b || Math.Abs(reach) < Math.Abs((long)b.Value - (long)(pc.Value + ShortJumpLength))))
                {
                    best = new RemotePtr(start);
                }
            }
            return best;
        }
        return null;
    }

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
    /// <param name="stackDigest">The place's <see cref="StackDigest"/>, compared in the trampoline too where the top of the stack is readable there.</param>
    /// <param name="stackTop">The bytes of the digest where the event has them: the trampoline compares them instead, a word at a time.</param>
    /// <param name="loopWords">Words of memory the place's loop writes, compared too where the event has them.</param>
    /// <param name="standIns">The session's shared files, through which the jumps go into code the mapping refuses a tracer's write (<see cref="SharedFiles.WriteCode"/>).</param>
    public static PlaceProbe? Arm(Tracee tracee, in Registers place, ulong stackDigest, byte[]? stackTop, IReadOnlyList<MemoryWord>? loopWords, SharedFiles standIns)
    {
        if (Decode(tracee, place.Pc) is not { } instruction || !Fits(tracee, instruction) || AddressSpace.Read(tracee.Pid).FreeRoomNear(place.Pc, Size) is not { } wanted)
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
        // The trampoline reads the stack's top only where as much of it is mapped as when the digest was taken.
        int readable = tracee.Read(place.Sp, new byte[StackDigest.Length]);
        var stack = stackTop != null ? readable >= stackTop.Length ? new StackCheck(null, stackTop) : null
            : readable == StackDigest.Length ? new StackCheck(stackDigest, null) : null;
        var (code, labels) = Trampoline(page, instruction, place, stack, loopWords ?? []);
        tracee.Write(page, code);
        var relay = instruction.Length < JumpLength ? RelayNear(tracee, place.Pc) : null;
        // The relay's jump first: the short jump to it is only written once it leads somewhere.
        var at = relay ?? place.Pc;
        var originals = new List<(RemotePtr, byte[])> { (at, tracee.ReadBytes(at, JumpLength)) };
        var jump = new byte[JumpLength];
        jump[0] = 0xe9;
        BitConverter.TryWriteBytes(jump.AsSpan(1), (int)((long)labels.Entry.Value - (long)(at.Value + JumpLength)));
        standIns.WriteCode(tracee, at, jump);
        if (relay is { } r)
        {
            originals.Add((place.Pc, tracee.ReadBytes(place.Pc, ShortJumpLength)));
            standIns.WriteCode(tracee, place.Pc, [0xeb, (byte)(sbyte)((long)r.Value - (long)(place.Pc.Value + ShortJumpLength))]);
        }
        return new PlaceProbe(place.Pc, new RemotePtr(instruction.NextIP), [.. originals], relay, page, labels, standIns);
    }

    /// <summary>
    /// Where the trampoline's parts are: its entry, the end of its comparison of the loop's words,
    /// the slots where that keeps rcx and rdx, its int3, its moved instruction and the jump back.
    /// </summary>
    private readonly record struct TrampolineLabels(RemotePtr Entry, RemotePtr LoopWordsEnd, RemotePtr SavedRcx, RemotePtr SavedRdx, RemotePtr Hit, RemotePtr Execute, RemotePtr Back);

    private static (byte[] Code, TrampolineLabels Labels) Trampoline(RemotePtr at, in Instruction instruction, in Registers place, StackCheck? stack,
        IReadOnlyList<MemoryWord> loopWords)
    {
        var a = new Assembler(64);
        var miss = a.CreateLabel();
        var hit = a.CreateLabel();
        var execute = a.CreateLabel();
        var back = a.CreateLabel();
        var savedSp = a.CreateLabel();
        var expectedSp = a.CreateLabel();
        var expectedDigest = a.CreateLabel();
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
        var savedRcx = a.CreateLabel();
        var savedRdx = a.CreateLabel();
        a.Label(ref savedRcx);
        a.dq(0);
        a.Label(ref savedRdx);
        a.dq(0);
        // The rest of the page is the stack, whose top is the page's end, where the code starts.
        a.db(new byte[AddressSpace.PageSize - 24]);
        var entry = a.CreateLabel();
        a.Label(ref entry);
        // Where the comparison of the loop's words ends, if there is one (a label marks an instruction, not a place between two).
        var check = entry;
        if (loopWords.Count > 0)
        {
            check = a.CreateLabel();
            CompareLoopWords(a, loopWords, savedRcx, savedRdx, execute, check);
            a.Label(ref check);
        }
        a.mov(__qword_ptr[savedSp], rsp);
        a.lea(rsp, __[entry]);
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
        if (stack?.Top is { } top)
        {
            CompareStackTop(a, savedSp, top, miss);
        }
        else if (stack?.Digest != null)
        {
            CompareStackDigest(a, savedSp, expectedDigest, miss);
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
        a.Label(ref expectedDigest);
        a.dq(stack?.Digest ?? 0);
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
        RemotePtr Rip(Label label) => new(result.GetLabelRIP(label));
        return (code, new TrampolineLabels(Rip(entry), Rip(check), Rip(savedRcx), Rip(savedRdx), Rip(hit), Rip(execute), Rip(back)));
    }

    /// <summary>What the trampoline compares of the stack's top once the registers match: its recorded bytes, or else its digest.</summary>
    private sealed record StackCheck(ulong? Digest, byte[]? Top);

    /// <summary>
    /// Where every register repeats at each pass of a loop (a counter kept in memory), only the top
    /// of the stack tells the passes apart. With its recorded bytes, the trampoline compares them a
    /// word at a time from the highest (the frame's own variables, which change more often than the
    /// spills near the stack pointer), leaving at the first that differs: some nanoseconds a pass.
    /// The bytes after the last whole word are left to the tracer.
    /// </summary>
    private static void CompareStackTop(Assembler a, Label savedSp, byte[] top, Label miss)
    {
        var differs = a.CreateLabel();
        var same = a.CreateLabel();
        var words = Enumerable.Range(0, top.Length / 8).Select(_ => a.CreateLabel()).ToArray();
        a.push(rax);
        a.push(rsi);
        a.mov(rsi, __qword_ptr[savedSp]);
        for (int i = words.Length - 1; i >= 0; i--)
        {
            a.mov(rax, __qword_ptr[rsi + 8 * i]);
            a.cmp(rax, __qword_ptr[words[i]]);
            a.jne(differs);
        }
        a.pop(rsi);
        a.pop(rax);
        a.jmp(same);
        a.Label(ref differs);
        a.pop(rsi);
        a.pop(rax);
        a.jmp(miss);
        for (int i = 0; i < words.Length; i++)
        {
            var word = words[i];
            a.Label(ref word);
            a.dq(BitConverter.ToUInt64(top, 8 * i));
        }
        a.Label(ref same);
    }

    /// <summary>
    /// Where every lap of a loop repeats the registers and the stack (a counter kept in a global),
    /// the words the lap writes tell the laps apart, and differ at nearly every pass: they are
    /// compared first, without touching the flags (a load, an add of the value's negation with
    /// lea, jrcxz), so that a pass with another count costs some ten plain instructions and goes
    /// straight to the moved instruction; only where all match does the full check run.
    /// </summary>
    private static void CompareLoopWords(Assembler a, IReadOnlyList<MemoryWord> words, Label savedRcx, Label savedRdx, Label execute, Label check)
    {
        var differs = a.CreateLabel();
        a.mov(__qword_ptr[savedRcx], rcx);
        a.mov(__qword_ptr[savedRdx], rdx);
        foreach (var word in words)
        {
            var same = a.CreateLabel();
            a.mov(rcx, word.Address.Value);
            a.mov(rcx, __qword_ptr[rcx]);
            a.mov(rdx, unchecked(0UL - word.Value));
            a.lea(rcx, __[rcx + rdx]);
            a.jrcxz(same);
            a.jmp(differs);
            a.Label(ref same);
        }
        a.mov(rcx, __qword_ptr[savedRcx]);
        a.mov(rdx, __qword_ptr[savedRdx]);
        a.jmp(check);
        a.Label(ref differs);
        a.mov(rcx, __qword_ptr[savedRcx]);
        a.mov(rdx, __qword_ptr[savedRdx]);
        a.jmp(execute);
    }

    /// <summary>
    /// Without the recorded bytes (a preemption, a trace made before signals had them), the trampoline computes the digest (FNV-1a, as
    /// <see cref="StackDigest"/>) once the registers match, so such a pass costs some hundred
    /// nanoseconds instead of two ptrace stops. The registers it uses are saved on its own stack.
    /// </summary>
    private static void CompareStackDigest(Assembler a, Label savedSp, Label expectedDigest, Label miss)
    {
        var next = a.CreateLabel();
        a.push(rax);
        a.push(rcx);
        a.push(rdx);
        a.push(rsi);
        a.push(rdi);
        a.mov(rsi, __qword_ptr[savedSp]);
        a.mov(rax, StackDigest.Basis);
        a.mov(rdx, StackDigest.Prime);
        a.xor(ecx, ecx);
        a.Label(ref next);
        a.movzx(edi, __byte_ptr[rsi + rcx]);
        a.xor(rax, rdi);
        a.imul(rax, rdx);
        a.inc(ecx);
        a.cmp(ecx, StackDigest.Length);
        a.jb(next);
        a.cmp(rax, __qword_ptr[expectedDigest]);
        // Popping leaves the flags of the comparison.
        a.pop(rdi);
        a.pop(rsi);
        a.pop(rdx);
        a.pop(rcx);
        a.pop(rax);
        a.jne(miss);
    }

    /// <summary>Whether <paramref name="pc"/> is in the trampoline.</summary>
    private bool Contains(RemotePtr pc) => pc >= _page && pc < _page + Size;

    /// <summary>
    /// Brings a thread stopped inside the trampoline by <paramref name="signal"/> back to the
    /// program's own pc, with the registers it has there, and says what the stop was: the probe's
    /// int3 (the place may be here), a fault of its loads of the loop's words (not the place), or
    /// anything else, which the caller handles as it comes. A stop in the middle of the comparison
    /// (a signal from outside) is stepped to its end first.
    /// </summary>
    public ProbeStop Leave(Tracee tracee, int signal)
    {
        var regs = tracee.GetRegisters();
        if (regs.Pc == _relay)
        {
            // Between the short jump and the relay's: the place's instruction has not run yet.
            regs.Rip = Pc.Value;
            tracee.SetRegisters(regs);
            return ProbeStop.Other;
        }
        while (Contains(regs.Pc) && regs.Pc != _hit + 1 && regs.Pc != _execute && regs.Pc != _back)
        {
            if (signal is Signal.SIGSEGV or Signal.SIGBUS && regs.Pc >= _entry && regs.Pc < _loopWordsEnd)
            {
                // A word the loop writes cannot be read at this pass: it could at the place. The
                // registers the comparison used come back from its slots.
                regs.Rcx = tracee.ReadUInt64(_savedRcx);
                regs.Rdx = tracee.ReadUInt64(_savedRdx);
                regs.Rip = Pc.Value;
                tracee.SetRegisters(regs);
                return ProbeStop.Missed;
            }
            var at = regs.Pc;
            tracee.Resume(Resume.Step);
            var status = tracee.Wait();
            if (!status.Stopped)
            {
                throw new RewindException($"the thread died in a place probe ({status})");
            }
            regs = tracee.GetRegisters();
            signal = status.StopSignal == Signal.SIGTRAP ? 0 : status.StopSignal;
            if (regs.Pc == at && signal != 0 && !(at >= _entry && at < _loopWordsEnd))
            {
                // A fault elsewhere in the trampoline, which stepping again would only repeat for ever.
                throw new RewindException($"the place probe for {Pc} faulted with signal {status.StopSignal} at {at}, comparing the state recorded there: this pass cannot be told from the place");
            }
        }
        if (!Contains(regs.Pc))
        {
            return ProbeStop.Other;
        }
        bool hit = regs.Pc == _hit + 1;
        // After the int3, and before the moved instruction, the thread is at the place's pc; after it, at the next instruction.
        regs.Rip = regs.Pc == _back ? _next.Value : Pc.Value;
        tracee.SetRegisters(regs);
        return hit ? ProbeStop.Hit : ProbeStop.Other;
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
        foreach (var (start, bytes) in _originals)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                long at = (long)(start.Value + (ulong)i) - (long)address.Value;
                if (at >= 0 && at < buffer.Length)
                {
                    buffer[(int)at] = bytes[i];
                }
            }
        }
    }

    /// <summary>Takes the probe out: the original bytes back (the place's first), the trampoline unmapped.</summary>
    public void Disarm(Tracee tracee)
    {
        foreach (var (at, bytes) in _originals.Reverse())
        {
            _standIns.WriteCode(tracee, at, bytes);
        }
        tracee.InjectSyscallChecked("munmap", Syscalls.Nr.munmap, _page.Value, Size);
    }

    private sealed class CodeWriterImpl : CodeWriter
    {
        private readonly List<byte> _bytes = [];

        public override void WriteByte(byte value) => _bytes.Add(value);

        public byte[] ToArray() => [.. _bytes];
    }
}
