using Iced.Intel;
using Rewind.Cpu;
using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// One lap of the loop a thread was preempted in, single-stepped from the place back to it,
/// noting the memory each instruction writes. Where the laps come back with the same registers
/// and top of stack (every lap, or every few: the flags of a counter's increment cycle), they all
/// look like the place to replay's search, which would stop at the first (docs/decisions.md,
/// "Preemptions in loops that repeat their registers"): the words a lap writes, as they are at
/// the place, tell them apart.
/// </summary>
internal sealed class LoopLap(Registers start)
{
    /// <summary>The longest lap stepped (a ptrace stop each): a loop that spins is short.</summary>
    public const int MaxSteps = 256;

    /// <summary>The most words kept; a lap writing more is not a spin on a counter.</summary>
    private const int MaxWords = 16;

    /// <summary>The red zone below the stack pointer, where the place's own function may keep its variables (the x86-64 psABI).</summary>
    private const ulong RedZone = 128;

    /// <summary>How far below the red zone the frames of the functions the lap calls are taken to reach.</summary>
    private const ulong CalleeFrames = 1 << 20;

    private readonly InstructionInfoFactory _info = new();
    private readonly SortedSet<ulong> _words = [];
    private bool _lost;

    public Registers Start => start;

    public int Steps { get; private set; }

    /// <summary>
    /// Notes the words <paramref name="instruction"/>, about to run with <paramref name="regs"/>,
    /// writes. Words of the top of the stack are left out (the stack digest covers them), and so
    /// are those under the red zone (callees' frames, written again before use).
    /// </summary>
    public void Note(in Instruction instruction, in Registers regs)
    {
        Steps++;
        var registers = regs;
        foreach (var used in _info.GetInfo(instruction).GetUsedMemory())
        {
            if (used.Access is not (OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite))
            {
                continue;
            }
            int size = used.MemorySize.GetSize();
            if (size is 0 or > 64 || !used.TryGetVirtualAddress(0, out ulong address, (Register r, int _, int _, out ulong value) => OperandRegisters.TryGetValue(registers, r, out value)))
            {
                _lost = true;
                return;
            }
            for (ulong word = address & ~7UL; word < address + (ulong)size; word += 8)
            {
                bool digested = word >= start.Rsp && word < start.Rsp + StackDigest.Length;
                bool calleeFrame = word < start.Rsp - RedZone && start.Rsp - word <= CalleeFrames;
                if (!digested && !calleeFrame)
                {
                    _words.Add(word);
                }
            }
            _lost |= _words.Count > MaxWords;
        }
    }

    /// <summary>
    /// Back at the place's pc: the words the lap wrote, as they are now; null where it wrote none
    /// (but the stack's top), or what it wrote is not known (too many words, an address not computed).
    /// </summary>
    public IReadOnlyList<MemoryWord>? Words(IMemoryReader memory)
    {
        if (_lost || _words.Count == 0)
        {
            return null;
        }
        var words = new List<MemoryWord>(_words.Count);
        Span<byte> value = stackalloc byte[8];
        foreach (ulong word in _words)
        {
            if (memory.Read(new RemotePtr(word), value) != 8)
            {
                return null;
            }
            words.Add(new MemoryWord(new RemotePtr(word), BitConverter.ToUInt64(value)));
        }
        return words;
    }
}
