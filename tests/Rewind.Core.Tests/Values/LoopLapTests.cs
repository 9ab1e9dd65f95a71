using Rewind.Recording;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Core.Tests.Values;

/// <summary>The words a lap of a preempted loop writes, from its instructions and the registers at each.</summary>
public sealed class LoopLapTests
{
    private const ulong Code = 0x555555555163, Globals = 0x555555558000, Sp = 0x7ffff7d8fe90;

    /// <summary>
    /// spin_counter.c's worker at gcc -O0, <c>while (!flag) laps++;</c>: mov rax, [rip+laps];
    /// add rax, 1; mov [rip+laps], rax; mov eax, [rip+flag]; test eax, eax; je back.
    /// </summary>
    private static readonly byte[] SpinLoop = Convert.FromHexString("488b05ce2e00004883c001488905c32e00008b05b52e000085c074e4");

    [Fact]
    public void A_lap_of_a_counting_spin_writes_the_counter_found_from_its_rip_relative_store()
    {
        var code = new FixedMemory(Code, SpinLoop);
        var lap = new LoopLap(At(Code));
        for (ulong pc = Code; pc < Code + (ulong)SpinLoop.Length;)
        {
            var instruction = PlaceProbe.Decode(code, new RemotePtr(pc))!.Value;
            lap.Note(instruction, At(pc));
            pc = instruction.NextIP;
        }
        var laps = new byte[0x40];
        BitConverter.TryWriteBytes(laps.AsSpan(0x38), 123456789UL);
        Assert.Equal([new MemoryWord(new RemotePtr(Globals + 0x38), 123456789)], lap.Words(new FixedMemory(Globals, laps)));
        Assert.Equal(6, lap.Steps);
    }

    [Theory]
    // mov [rsp+0x10], rax: the top of the stack, which the digest covers.
    [InlineData("4889442410", null)]
    // mov [rsp-0x10], rax: the red zone, where the place's own function may keep a variable.
    [InlineData("48894424f0", Sp - 0x10)]
    // mov [rsp-0x1000], rax: a callee's frame, written again before it is read.
    [InlineData("48898424 00f0ffff", null)]
    // mov [rbx], rax, rbx on the heap.
    [InlineData("488903", 0x5555555a0000UL)]
    // mov fs:[0x28], rax: thread-local, from fs's base.
    [InlineData("6448890425 28000000", 0x7ffff7d90640UL + 0x28)]
    public void Words_near_the_stack_pointer_count_only_in_the_red_zone(string hex, ulong? word)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));
        var lap = new LoopLap(At(Code));
        lap.Note(PlaceProbe.Decode(new FixedMemory(Code, bytes), new RemotePtr(Code))!.Value, At(Code));
        var words = lap.Words(new AnyMemory());
        Assert.Equal(word, words?.Single().Address.Value);
    }

    [Fact]
    public void A_lap_writing_more_than_sixteen_words_keeps_none()
    {
        // mov [rbx], rax at 17 different rbx.
        var store = PlaceProbe.Decode(new FixedMemory(Code, Convert.FromHexString("488903")), new RemotePtr(Code))!.Value;
        var lap = new LoopLap(At(Code));
        for (ulong i = 0; i < 17; i++)
        {
            var regs = At(Code);
            regs.Rbx = 0x5555555a0000 + 8 * i;
            lap.Note(store, regs);
        }
        Assert.Null(lap.Words(new AnyMemory()));
    }

    private static Registers At(ulong pc) => new() { Rip = pc, Rsp = Sp, Rbx = 0x5555555a0000, FsBase = 0x7ffff7d90640 };

    /// <summary>Every address reads as zeros.</summary>
    private sealed class AnyMemory : IMemoryReader
    {
        public int Read(RemotePtr address, Span<byte> buffer)
        {
            buffer.Clear();
            return buffer.Length;
        }
    }
}
