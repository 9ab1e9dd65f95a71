using System.Buffers.Binary;
using Iced.Intel;
using Rewind.Linux;
using Rewind.Syscalls;
using static Iced.Intel.AssemblerRegisters;

namespace Rewind;

/// <summary>
/// Rewind's page of time reads in a recorded process (docs/decisions.md, "Time reads logged in
/// the program"): code that the vDSO stand-in's clock_gettime, gettimeofday and time jump to,
/// which makes the syscall itself from an address Rewind's seccomp filter lets through unseen
/// while recording (<see cref="FastCalls"/>), and keeps the call and its answer in a log on
/// the pages after, which the recorder turns into the calls' events at the thread's next event
/// (<see cref="Take"/>). A start of the JVM makes about 2 800 time reads: each was a ptrace stop.
/// Replay runs the same code, but the filter stops it at that syscall, which is answered from
/// its event as any; the log's count is put back to 0 where the recorder took the log
/// (<see cref="Clear"/>), so every branch goes as it went.
/// <para>
/// A read takes the kernel's way, a stop as before, where the log is full, its pointer crosses a
/// page (the kernel might write part of it), gettimeofday is given a timezone, or the process
/// installed a seccomp filter of its own (whose answers to the call the log could not know):
/// <see cref="Disable"/>. From the syscall's return to the end of its log entry (<see cref="IsInEntry"/>)
/// the code is not a place: the recorder steps a thread on past it before it logs a place, so that
/// no signal handler nor other thread meets an entry half made.
/// </para>
/// </summary>
public static class TimeReadPage
{
    /// <summary>Where the code is (a page, read and execute), the log after it (read and write); fixed, below <see cref="SyscallPage"/>.</summary>
    public static readonly RemotePtr Address = new(0x6ffe_ffe0_0000);

    private const ulong CodeSize = 0x1000, LogSize = 7 * 0x1000;

    /// <summary>The log: its count at 0, the count that sends a read the kernel's way at 4, entries from 64.</summary>
    private static readonly RemotePtr Count = Address + CodeSize, Limit = Count + 4, Entries = Count + 64;

    /// <summary>The log's count, followed by its limit: <see cref="SyscallHookPage"/> logs its calls in the same entries, in one order with the reads.</summary>
    internal static RemotePtr LogCount => Count;

    /// <summary>An entry: the number, the six argument registers, the result, 16 bytes the call wrote.</summary>
    internal const int EntrySize = 80;

    /// <summary>Reads logged between two events at most; past it, a read is a stop. Room for more: a signal handler's reads between the check and the entry.</summary>
    private const uint Capacity = 256;

    /// <summary>Entries a read or a hooked call may still take past the capacity it checked before its syscall.</summary>
    internal const uint Room = 320;

    /// <summary>The entries a take reads with the count.</summary>
    private const int FirstRead = 12;

    /// <summary>The time functions of the vDSO the page stands in for: their syscall, which argument points where the call writes (it may be null), and how many bytes it writes there.</summary>
    private static readonly (string Function, int Nr, int Pointer, int Length)[] Functions =
        [("clock_gettime", Nr.clock_gettime, 1, 16), ("gettimeofday", Nr.gettimeofday, 0, 16), ("time", Nr.time, 0, 8)];

    private static readonly Code CodeOf = Assemble();

    /// <summary>Each function's syscall and the address after its syscall instruction: the filter lets those through while recording.</summary>
    public static IEnumerable<(int Nr, RemotePtr Return)> FastCalls => Functions.Select((f, i) => (f.Nr, CodeOf.FastReturns[i]));

    /// <summary>Each function's entry, by its vDSO name without "__vdso_".</summary>
    public static RemotePtr? EntryOf(string function) => CodeOf.Entries.TryGetValue(function, out var entry) ? entry : null;

    /// <summary>Whether <paramref name="pc"/> lies between a fast read's (or a hooked call's) syscall and the end of its entry.</summary>
    public static bool IsInEntry(ulong pc) => CodeOf.InEntry.Any(r => r.Start <= pc && pc < r.End) || SyscallHookPage.IsInEntry(pc);

    /// <summary>Whether a syscall event is a read the page logged, or a call logged in its entries (<see cref="SyscallHookPage"/>).</summary>
    public static bool IsLogged(Trace.SyscallEvent e) => CodeOf.FastReturns.Contains(e.Pc) || SyscallHookPage.IsLogged(e);

    /// <summary>
    /// Maps the page into <paramref name="t"/>'s new image, stopped where a syscall can be
    /// injected, and writes its code; every read takes the kernel's way in a process with
    /// seccomp filters of its own (<paramref name="filtered"/>).
    /// </summary>
    public static void Map(Tracee t, bool filtered)
    {
        t.MapCode("Rewind's page of time reads", Address, CodeOf.Bytes, CodeSize, LogSize);
        Span<byte> limit = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(limit, filtered ? 0 : Capacity);
        t.Write(Limit, limit);
    }

    /// <summary>Every later read of <paramref name="t"/>'s process takes the kernel's way: it installed a seccomp filter of its own. Nothing where it has no page.</summary>
    public static void Disable(Tracee t) => t.WriteAsProgram(Limit, stackalloc byte[4]);

    /// <summary>
    /// The reads <paramref name="t"/>'s process logged since the last take, as the events of their
    /// syscalls at <paramref name="time"/>, and an empty log; nothing where it has no page.
    /// </summary>
    public static List<Trace.SyscallEvent> Take(Tracee t, Tid tid, long time)
    {
        // The count and the first entries in one read: most takes find a few entries, or none.
        Span<byte> head = stackalloc byte[64 + (FirstRead * EntrySize)];
        if (t.Read(Count, head) != head.Length || BinaryPrimitives.ReadUInt32LittleEndian(head) is not (> 0 and var count))
        {
            return [];
        }
        int logged = (int)Math.Min(count, Room);
        byte[] entries = logged <= FirstRead ? head.Slice(64, logged * EntrySize).ToArray() : t.ReadBytes(Entries, logged * EntrySize);
        byte[]? data = null;
        var events = new List<Trace.SyscallEvent>(logged);
        for (int i = 0; i < entries.Length; i += EntrySize)
        {
            events.Add(EventOf(entries.AsSpan(i, EntrySize), tid, time, () => data ??= SyscallHookPage.ReadData(t)));
        }
        // The hooked calls' data holds nothing where none was logged.
        Clear(t, hooks: data != null);
        return events;
    }

    /// <summary>
    /// Empties the log of <paramref name="t"/>'s process: its count (each entry is written whole
    /// after it counts it), and with <paramref name="hooks"/> (its image has the page, since trace
    /// format 10) the data of its hooked calls; nothing where the process has no page, or is gone.
    /// </summary>
    public static void Clear(Tracee t, bool hooks)
    {
        t.WriteAsProgram(Count, stackalloc byte[4]);
        if (hooks)
        {
            SyscallHookPage.Clear(t);
        }
    }

    /// <summary>The event of a logged entry: a time read, or a call of <see cref="SyscallHookPage"/>, whose bytes are in its <paramref name="data"/>.</summary>
    private static Trace.SyscallEvent EventOf(ReadOnlySpan<byte> entry, Tid tid, long time, Func<byte[]> data)
    {
        int nr = (int)BinaryPrimitives.ReadUInt64LittleEndian(entry);
        var args = new ulong[6];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = BinaryPrimitives.ReadUInt64LittleEndian(entry[(8 + (8 * i))..]);
        }
        long result = BinaryPrimitives.ReadInt64LittleEndian(entry[56..]);
        int function = Array.FindIndex(Functions, f => f.Nr == nr);
        if (function < 0)
        {
            return SyscallHookPage.EventOf(nr, args, result, entry[64..], data(), tid, time);
        }
        var (_, _, pointer, length) = Functions[function];
        MemoryWrite[] writes = !Errno.IsError(result) && args[pointer] != 0 ? [new MemoryWrite(new RemotePtr(args[pointer]), entry.Slice(64, length).ToArray())] : [];
        return new Trace.SyscallEvent(tid, time, nr, args, result, CodeOf.FastReturns[function], writes);
    }

    /// <summary>The page's code, its functions' entries, the addresses after their own syscalls, and where their entries are made.</summary>
    private sealed record Code(byte[] Bytes, Dictionary<string, RemotePtr> Entries, RemotePtr[] FastReturns, (ulong Start, ulong End)[] InEntry);

    /// <summary>
    /// Each function: the checks that send it the kernel's way (a timezone, a full log, a pointer
    /// across a page), its syscall, then its entry: reserved (the count), filled with the number,
    /// the argument registers, the result and, where the call succeeded and was given a pointer,
    /// the bytes there. Only rax, rcx and r11 change, as across a syscall.
    /// </summary>
    private static Code Assemble()
    {
        var a = new Assembler(64);
        // Labels are marked in place (Assembler.Label takes them by ref): these arrays hold the marked ones.
        var entries = Functions.Select(_ => a.CreateLabel()).ToArray();
        var returns = Functions.Select(_ => a.CreateLabel()).ToArray();
        var dones = Functions.Select(_ => a.CreateLabel()).ToArray();
        for (int f = 0; f < Functions.Length; f++)
        {
            var (function, nr, pointer, length) = Functions[f];
            var written = pointer == 0 ? rdi : rsi;
            var unwritten = a.CreateLabel();
            var slow = a.CreateLabel();
            var done = dones[f];
            a.Label(ref entries[f]);
            if (function == "gettimeofday")
            {
                a.test(rsi, rsi);
                a.jnz(slow);
            }
            // rcx and r11 are the syscall's to clobber: the log's count and limit, the pointer's place in its page.
            a.mov(rcx, Count.Value);
            a.mov(r11d, __dword_ptr[rcx + 4]);
            a.cmp(__dword_ptr[rcx], r11d);
            a.jae(slow);
            a.test(written, written);
            a.jz(unwritten);
            a.mov(r11, written);
            a.and(r11d, 0xfff);
            a.cmp(r11d, 0x1000 - length);
            a.ja(slow);
            a.Label(ref unwritten);
            a.mov(eax, nr);
            a.syscall();
            a.Label(ref returns[f]);
            a.mov(rcx, Count.Value);
            a.mov(r11d, __dword_ptr[rcx]);
            a.cmp(r11d, Room);
            a.jae(done);
            a.inc(__dword_ptr[rcx]);
            a.imul(r11, r11, EntrySize);
            a.lea(r11, __[rcx + r11 + 64]);
            a.mov(__qword_ptr[r11], nr);
            AssemblerRegister64[] argumentRegisters = [rdi, rsi, rdx, r10, r8, r9];
            for (int i = 0; i < argumentRegisters.Length; i++)
            {
                a.mov(__qword_ptr[r11 + (8 + (8 * i))], argumentRegisters[i]);
            }
            a.mov(__qword_ptr[r11 + 56], rax);
            // An error (-4095 to -1) wrote nothing; nor did a call given no pointer.
            a.cmp(rax, -4095);
            a.jae(done);
            a.test(written, written);
            a.jz(done);
            for (int at = 0; at < length; at += 8)
            {
                a.mov(rcx, __qword_ptr[written + at]);
                a.mov(__qword_ptr[r11 + (64 + at)], rcx);
            }
            a.Label(ref dones[f]);
            a.ret();
            a.Label(ref slow);
            a.mov(eax, nr);
            a.syscall();
            a.ret();
        }
        using var stream = new MemoryStream();
        var result = a.Assemble(new StreamCodeWriter(stream), Address.Value, BlockEncoderOptions.ReturnNewInstructionOffsets);
        if (stream.Length > (long)CodeSize)
        {
            throw new InvalidOperationException("the code of the page of time reads outgrew its page");
        }
        RemotePtr Rip(Label label) => new(result.GetLabelRIP(label));
        return new Code(
            stream.ToArray(),
            Functions.Select((f, i) => (f.Function, Rip(entries[i]))).ToDictionary(p => p.Function, p => p.Item2),
            [.. returns.Select(Rip)],
            [.. returns.Zip(dones, (r, d) => (Rip(r).Value, Rip(d).Value))]);
    }
}
