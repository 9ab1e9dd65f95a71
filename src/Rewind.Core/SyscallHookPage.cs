using System.Buffers.Binary;
using Iced.Intel;
using Rewind.Linux;
using Rewind.Syscalls;
using static Iced.Intel.AssemblerRegisters;

namespace Rewind;

/// <summary>
/// Rewind's page of hooked syscalls in a recorded process (docs/decisions.md, "Syscalls answered
/// in the program"): code that the program's own syscall sites jump to once patched
/// (<see cref="Recording.SyscallSites"/>), which makes the syscall from an address Rewind's seccomp
/// filter lets through unseen while recording, and logs it, as <see cref="TimeReadPage"/> logs a
/// time read: in that page's entries, counted with its reads, so that one count orders both;
/// the bytes the call wrote, and the path it was given, go to this page's data. The recorder
/// turns them into the calls' events at the thread's next event. Replay runs the same code, which
/// the image saved at exec holds, and the filter stops it at each syscall, answered from its event.
/// <para>
/// Only calls that never wait for another thread (none that <see cref="SyscallTable.MayBlock"/>
/// names, but the opens and reads whose files the page looks at first), whose only effect the
/// recorder needs is their result and the bytes they wrote (<see cref="Hooks"/>): the stat
/// family, readlink, access, lseek, close, the process's ids, getcwd, uname, sysinfo, getrusage,
/// the resource limits, clock_getres, futex's wakes, the opens that cannot wait (read-only, of a
/// regular file or a directory), the reads of regular files (<see cref="GuardFile"/>), and the
/// mmaps of private anonymous memory (replay maps it again at the address logged). A call the
/// page does not make goes back to its site's own syscall instruction, a stop as before: a
/// futex wait, a call that finds the log or the data full, one whose output could be larger than
/// <see cref="MaxOutput"/>, any call of a process with a seccomp filter of its own (the time
/// page's limit, shared). So a call that waits in the kernel, or that the kernel restarts, does so
/// at the program's own site, where a debugger unwinds it. From the syscall's return to the end
/// of its entry the code is not a place (<see cref="IsInEntry"/>).
/// </para>
/// <para>
/// A trace's replay runs the code its image holds, and finds the calls' events by their syscalls
/// being in the page (<see cref="IsLogged"/>), whatever the code's layout: the page's address,
/// and the log's entries and data, are part of the trace format (<see cref="Trace.TraceFormat.SyscallHooks"/>);
/// which calls the page makes, and how, are not (since <see cref="Trace.TraceFormat.OpensHooked"/>).
/// </para>
/// </summary>
public static class SyscallHookPage
{
    /// <summary>Where the code is (read and execute), the data after it (read and write); fixed, below <see cref="TimeReadPage"/>.</summary>
    public static readonly RemotePtr Address = new(0x6ffe_ffd0_0000);

    private const ulong CodeSize = 0x2000, DataSize = 0xe000;

    /// <summary>The data: its length in bytes at 0, its records from 64.</summary>
    private static readonly RemotePtr DataLength = Address + CodeSize, Data = DataLength + 64;

    /// <summary>The most bytes a hooked call may write to be logged; a readlink given a larger buffer takes the kernel's way.</summary>
    public const int MaxOutput = 4096;

    /// <summary>The longest path logged with its call; a longer one is left out of the event (the dump shows its address).</summary>
    private const int MaxPath = 255;

    /// <summary>A call's data is taken only where it fits below this; the rest of the data is room for a signal handler's calls between the check and the entry.</summary>
    private const int DataCapacity = (int)DataSize - 64 - (4 * (MaxOutput + MaxPath + 8));

    /// <summary>What a hooked call wrote: nothing, a struct of a fixed size, or as many bytes as its result (bounded by an argument).</summary>
    private enum Output { None, Fixed, Result }

    /// <summary>
    /// Which calls of a hooked syscall the page makes, the others taking the kernel's way: all;
    /// a futex's wakes (<see cref="FutexWakes"/>, the low 7 bits of its second argument); the
    /// opens that cannot wait, and the reads of regular files (<see cref="GuardFile"/>); the mmaps
    /// of private anonymous memory (a file's mapping the recorder stores, shared memory it follows).
    /// </summary>
    private enum Only { All, FutexWakes, QuietOpens, FileReads, PrivateAnonymousMaps }

    /// <summary>
    /// A hooked syscall: where it writes (an argument, or -1), what, how much (the size, or the
    /// argument that bounds the result), which argument is its path (or -1), and which of its calls the page makes.
    /// </summary>
    private sealed record Hooked(int Nr, int Pointer, Output Kind, int Length, int Path, Only Only = Only.All);

    /// <summary>futex(2)'s wakes, which never wait: FUTEX_WAKE and FUTEX_WAKE_BITSET.</summary>
    private static readonly int[] FutexWakes = [1, 10];

    /// <summary>The syscalls the page makes; their outputs as <see cref="SyscallTable"/>'s captures have them.</summary>
    private static readonly Hooked[] Calls =
    [
        new(Nr.newfstatat, 2, Output.Fixed, 144, 1),
        new(Nr.fstat, 1, Output.Fixed, 144, -1),
        new(Nr.stat, 1, Output.Fixed, 144, 0),
        new(Nr.lstat, 1, Output.Fixed, 144, 0),
        new(Nr.statx, 4, Output.Fixed, 256, 1),
        new(Nr.statfs, 1, Output.Fixed, 120, 0),
        new(Nr.fstatfs, 1, Output.Fixed, 120, -1),
        new(Nr.readlink, 1, Output.Result, 2, 0),
        new(Nr.readlinkat, 2, Output.Result, 3, 1),
        new(Nr.getcwd, 0, Output.Result, 1, -1),
        new(Nr.access, -1, Output.None, 0, 0),
        new(Nr.faccessat, -1, Output.None, 0, 1),
        new(Nr.faccessat2, -1, Output.None, 0, 1),
        new(Nr.lseek, -1, Output.None, 0, -1),
        new(Nr.close, -1, Output.None, 0, -1),
        new(Nr.prlimit64, 3, Output.Fixed, 16, -1),
        new(Nr.getrlimit, 1, Output.Fixed, 16, -1),
        new(Nr.getpid, -1, Output.None, 0, -1),
        new(Nr.gettid, -1, Output.None, 0, -1),
        new(Nr.getppid, -1, Output.None, 0, -1),
        new(Nr.getuid, -1, Output.None, 0, -1),
        new(Nr.geteuid, -1, Output.None, 0, -1),
        new(Nr.getgid, -1, Output.None, 0, -1),
        new(Nr.getegid, -1, Output.None, 0, -1),
        new(Nr.uname, 0, Output.Fixed, 390, -1),
        new(Nr.sysinfo, 0, Output.Fixed, 112, -1),
        new(Nr.getrusage, 1, Output.Fixed, 144, -1),
        new(Nr.clock_getres, 1, Output.Fixed, 16, -1),
        new(Nr.futex, -1, Output.None, 0, -1, Only.FutexWakes),
        new(Nr.openat, -1, Output.None, 0, 1, Only.QuietOpens),
        new(Nr.mmap, -1, Output.None, 0, -1, Only.PrivateAnonymousMaps),
        new(Nr.read, 1, Output.Result, 2, -1, Only.FileReads),
    ];

    /// <summary>Each call's index in <see cref="Calls"/>, by its number: asked at every syscall's exit (<see cref="Hooks"/>).</summary>
    private static readonly Dictionary<int, int> CallOf = Calls.Select((c, i) => (c.Nr, i)).ToDictionary(p => p.Nr, p => p.i);

    private static readonly Code CodeOf = Assemble();

    /// <summary>Whether <paramref name="at"/> is in the page.</summary>
    public static bool Contains(RemotePtr at) => at >= Address && at < Address + (CodeSize + DataSize);

    /// <summary>Whether the page makes syscall <paramref name="nr"/> (for some operations at least): its sites are patched to it.</summary>
    public static bool Hooks(int nr) => CallOf.ContainsKey(nr);

    /// <summary>The operations (second arguments) of <paramref name="nr"/> the page makes it with; null where it makes it with any.</summary>
    internal static IReadOnlyList<ulong>? OperationsOf(int nr) =>
        CallOf.TryGetValue(nr, out int call) && Calls[call].Only == Only.FutexWakes ? [.. FutexWakes.Select(o => (ulong)o)] : null;

    /// <summary>Whether the page makes <paramref name="nr"/> only where its file cannot make it wait, looked at first (<see cref="GuardFile"/>).</summary>
    internal static bool ChecksTheFileFirst(int nr) => CallOf.TryGetValue(nr, out int call) && Calls[call].Only is Only.QuietOpens or Only.FileReads;

    /// <summary>The code a patched site's stub calls, with the syscall's number in rax and its arguments in place, as for a syscall instruction.</summary>
    public static RemotePtr Entry => CodeOf.Entry;

    /// <summary>Each syscall and the address after its syscall instruction: the filter lets those through while recording.</summary>
    public static IEnumerable<(int Nr, RemotePtr Return)> FastCalls => Calls.Select((c, i) => (c.Nr, CodeOf.FastReturns[i]));

    /// <summary>Whether <paramref name="pc"/> lies between a hooked call's syscall and the end of its entry.</summary>
    public static bool IsInEntry(ulong pc) => CodeOf.InEntry.Any(r => r.Start <= pc && pc < r.End);

    /// <summary>Whether a syscall event is a call the page logged: one made in the page, which makes no other.</summary>
    public static bool IsLogged(Trace.SyscallEvent e) => Contains(e.Pc);

    /// <summary>Maps the page into <paramref name="t"/>'s new image, stopped where a syscall can be injected, and writes its code.</summary>
    public static void Map(Tracee t) => t.MapCode("Rewind's page of hooked syscalls", Address, CodeOf.Bytes, CodeSize, DataSize);

    /// <summary>
    /// Maps a page of stubs at <paramref name="page"/> in the stopped <paramref name="t"/> (anonymous,
    /// private, read and execute, never over another mapping), as the recorder does and replay again
    /// at its code patch event; returns mmap's answer: the page, or an error.
    /// </summary>
    public static long MapStubs(Tracee t, RemotePtr page) =>
        t.InjectSyscall(Nr.mmap, page.Value, Trace.CodePatchEvent.PageLength, Interop.PROT_READ | Interop.PROT_EXEC,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED_NOREPLACE, ulong.MaxValue, 0);

    /// <summary>The data of <paramref name="t"/>'s process, its records as its log's entries name them.</summary>
    internal static byte[] ReadData(Tracee t)
    {
        Span<byte> head = stackalloc byte[4];
        t.ReadExactly(DataLength, head);
        return t.ReadBytes(Data, (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(head), DataSize - 64));
    }

    /// <summary>Empties the data of <paramref name="t"/>'s process, with its log (<see cref="TimeReadPage.Clear"/>); nothing where the process has no page.</summary>
    internal static void Clear(Tracee t) => t.WriteAsProgram(DataLength, stackalloc byte[4]);

    /// <summary>
    /// The event of a call the page logged: <paramref name="entry"/> is its entry in the log
    /// (number, arguments, result, then where its record lies in <paramref name="data"/>, how many
    /// bytes it wrote, and its path's length, or more than <see cref="MaxPath"/> where it was left out).
    /// </summary>
    internal static Trace.SyscallEvent EventOf(int nr, ulong[] args, long result, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> data, Tid tid, long time)
    {
        if (!CallOf.TryGetValue(nr, out int call))
        {
            throw new RewindException($"Rewind's log of syscalls in the program holds syscall {nr}, which it does not make");
        }
        var hooked = Calls[call];
        int at = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry);
        int written = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
        int pathLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
        if (at < 0 || written > MaxOutput || at + written + (pathLength <= MaxPath ? pathLength : 0) > data.Length)
        {
            throw new RewindException($"Rewind's log of syscalls in the program holds a record of {nr} past its data");
        }
        MemoryWrite[] writes = written > 0 ? [new MemoryWrite(new RemotePtr(args[hooked.Pointer]), data.Slice(at, written).ToArray())] : [];
        string[]? paths = hooked.Path >= 0 && pathLength <= MaxPath
            ? [args[hooked.Path] == 0 ? "" : System.Text.Encoding.UTF8.GetString(data.Slice(at + written, pathLength))]
            : null;
        return new Trace.SyscallEvent(tid, time, nr, args, result, CodeOf.FastReturns[call], writes, Paths: paths);
    }

    /// <summary>
    /// The stub a patched site jumps to, at <paramref name="at"/>: the instructions
    /// <paramref name="moved"/> from between the site's instruction that sets the number and its
    /// syscall instruction at <paramref name="syscall"/>, then below the red zone, the call into the page,
    /// then back after the syscall instruction where the page made the call, or to it with the
    /// number where it did not (a full log, a futex wait): a call that waits in the kernel, or
    /// that the kernel restarts, does so at the program's own site, where a debugger unwinds it.
    /// </summary>
    public static byte[] Stub(RemotePtr at, byte[] moved, RemotePtr syscall, int nr)
    {
        var a = new Assembler(64);
        var own = a.CreateLabel();
        a.db(moved);
        a.lea(rsp, __[rsp - RedZone]);
        a.mov(eax, nr);
        // r11 is the syscall's to clobber: the page's entry, then whether it made the call.
        a.mov(r11, Entry.Value);
        a.call(r11);
        a.lea(rsp, __[rsp + RedZone]);
        a.test(r11d, r11d);
        a.jz(own);
        a.jmp(syscall.Value + 2);
        a.Label(ref own);
        a.mov(eax, nr);
        a.jmp(syscall.Value);
        using var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), at.Value);
        return stream.ToArray();
    }

    /// <summary>
    /// Where a stub that the page returned to at <paramref name="pc"/> goes back to: the program's
    /// code after the patched site's syscall instruction, its stack pointer 128 bytes above the
    /// stub's (for unwinders: a stub has no call-frame information); null where <paramref name="pc"/>
    /// is not a stub's return from the page (its <c>lea rsp, [rsp + 128]</c>, <c>test r11d, r11d</c>,
    /// <c>jz</c> over the jump back, the jump back).
    /// </summary>
    public static ulong? StubReturnsTo(IMemoryReader memory, ulong pc)
    {
        ReadOnlySpan<byte> back = [0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00, 0x45, 0x85, 0xdb, 0x74, 0x05, 0xe9];
        Span<byte> code = stackalloc byte[back.Length + 4];
        if (memory.Read(new RemotePtr(pc), code) != code.Length || !code[..back.Length].SequenceEqual(back))
        {
            return null;
        }
        return pc + (ulong)code.Length + (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(code[back.Length..]);
    }

    /// <summary>How far below the program's stack pointer a stub calls the page: past the red zone.</summary>
    public const int RedZone = 128;

    /// <summary>The page's code, its entry, the addresses after its calls' own syscalls, and where their entries are made.</summary>
    private sealed record Code(byte[] Bytes, RemotePtr Entry, RemotePtr[] FastReturns, (ulong Start, ulong End)[] InEntry);

    /// <summary>
    /// The entry dispatches on rax to each call's code; a call the page does not make returns r11 0,
    /// for the stub to make it at its site, one it makes returns r11 1. A
    /// call's code checks that the log has an entry free and the data room for all it may write,
    /// makes its syscall, then works out how many bytes it wrote (where it succeeded) and how long
    /// its path is (where the kernel read one; longer than <see cref="MaxPath"/>: left out), and
    /// goes on to the code all calls share, which reserves the entry and the record and fills
    /// them: the number, the argument registers, the result, where the record is, then the bytes.
    /// Only rax, rcx and r11 change, as across a syscall; the registers it needs besides are kept
    /// on the stack, which the stub has moved below the red zone. The shared code knows the call
    /// by r12: its number, and one more than the arguments of its output and its path (0: none).
    /// </summary>
    private static Code Assemble()
    {
        var a = new Assembler(64);
        // Labels are marked in place (Assembler.Label takes them by ref): these arrays hold the marked ones.
        var entry = a.CreateLabel();
        var slow = a.CreateLabel();
        var log = a.CreateLabel();
        var done = a.CreateLabel();
        var end = a.CreateLabel();
        var blocks = Calls.Select(_ => a.CreateLabel()).ToArray();
        var returns = Calls.Select(_ => a.CreateLabel()).ToArray();
        AssemblerRegister64[] arguments = [rdi, rsi, rdx, r10, r8, r9];
        var count = TimeReadPage.LogCount;
        a.Label(ref entry);
        // The whole of rax, as the kernel reads it: a number with high bits set is no call the page makes.
        for (int c = 0; c < Calls.Length; c++)
        {
            a.cmp(rax, Calls[c].Nr);
            a.je(blocks[c]);
        }
        // Not the page's to make: the stub makes it with the site's own syscall instruction (r11 0).
        a.Label(ref slow);
        a.xor(r11d, r11d);
        a.ret();
        for (int c = 0; c < Calls.Length; c++)
        {
            var (nr, pointer, kind, length, path, only) = Calls[c];
            a.Label(ref blocks[c]);
            if (kind == Output.Result)
            {
                // Output larger than the page logs: the kernel's way, before any guard's call.
                a.cmp(arguments[length], MaxOutput);
                a.ja(slow);
            }
            Guard(a, only, entry, slow);
            // A free entry in the log, shared with the time reads, and room in the data.
            a.mov(rcx, count.Value);
            a.mov(r11d, __dword_ptr[rcx + 4]);
            a.cmp(__dword_ptr[rcx], r11d);
            a.jae(slow);
            int room = (path >= 0 ? MaxPath + 1 : 0) + 8;
            if (kind == Output.Result)
            {
                a.mov(r11, arguments[length]);
                a.add(r11d, room);
            }
            else
            {
                a.mov(r11d, room + (kind == Output.Fixed ? length : 0));
            }
            a.mov(rcx, DataLength.Value);
            a.add(r11d, __dword_ptr[rcx]);
            a.cmp(r11d, DataCapacity);
            a.ja(slow);
            a.mov(eax, nr);
            a.syscall();
            a.Label(ref returns[c]);
            a.push(rsi);
            a.push(rdi);
            a.push(rdx);
            a.push(rbx);
            a.push(r12);
            a.push(r13);
            // rbx: the bytes written; rdx: the path's length, or MaxPath + 1 where it is left out.
            a.xor(ebx, ebx);
            var counted = a.CreateLabel();
            if (kind == Output.Fixed)
            {
                a.test(rax, rax);
                a.jnz(counted);
                a.test(arguments[pointer], arguments[pointer]);
                a.jz(counted);
                a.mov(ebx, length);
            }
            else if (kind == Output.Result)
            {
                a.test(rax, rax);
                a.jle(counted);
                a.mov(ebx, eax);
            }
            a.Label(ref counted);
            a.mov(edx, MaxPath + 1);
            if (path >= 0)
            {
                var measured = a.CreateLabel();
                var measure = a.CreateLabel();
                // The kernel read the path unless it faulted: its bytes are there to copy.
                a.cmp(rax, -14);
                a.je(measured);
                a.mov(rsi, arguments[path]);
                a.xor(edx, edx);
                a.test(rsi, rsi);
                a.jz(measured);
                a.Label(ref measure);
                a.cmp(__byte_ptr[rsi + rdx], 0);
                a.je(measured);
                a.inc(edx);
                a.cmp(edx, MaxPath);
                a.jbe(measure);
                a.Label(ref measured);
            }
            a.mov(r12d, nr | ((pointer + 1) << 16) | ((path + 1) << 24));
            a.jmp(log);
        }
        a.Label(ref log);
        // The entry: past the log's room, not logged (as a time read's).
        a.mov(rcx, count.Value);
        a.mov(r11d, __dword_ptr[rcx]);
        a.cmp(r11d, TimeReadPage.Room);
        a.jae(done);
        // The record's place: rdi; the data's new length, aligned to 8.
        a.mov(rcx, DataLength.Value);
        a.mov(edi, __dword_ptr[rcx]);
        a.lea(r11d, __[rdi + rbx + 7]);
        var sized = a.CreateLabel();
        a.cmp(edx, MaxPath);
        a.ja(sized);
        a.add(r11d, edx);
        a.Label(ref sized);
        a.and(r11d, ~7);
        a.cmp(r11d, (int)DataSize - 64);
        a.ja(done);
        a.mov(__dword_ptr[rcx], r11d);
        // The entry, counted, then filled.
        a.mov(rcx, count.Value);
        a.mov(r11d, __dword_ptr[rcx]);
        a.inc(__dword_ptr[rcx]);
        a.imul(r11, r11, TimeReadPage.EntrySize);
        a.lea(r11, __[rcx + r11 + 64]);
        a.movzx(ecx, r12w);
        a.mov(__qword_ptr[r11], rcx);
        // The arguments as the call had them: rdi, rsi and rdx from the stack.
        a.mov(rcx, __qword_ptr[rsp + 32]);
        a.mov(__qword_ptr[r11 + 8], rcx);
        a.mov(rcx, __qword_ptr[rsp + 40]);
        a.mov(__qword_ptr[r11 + 16], rcx);
        a.mov(rcx, __qword_ptr[rsp + 24]);
        a.mov(__qword_ptr[r11 + 24], rcx);
        a.mov(__qword_ptr[r11 + 32], r10);
        a.mov(__qword_ptr[r11 + 40], r8);
        a.mov(__qword_ptr[r11 + 48], r9);
        a.mov(__qword_ptr[r11 + 56], rax);
        a.mov(__dword_ptr[r11 + 64], edi);
        a.mov(__dword_ptr[r11 + 68], ebx);
        a.mov(__dword_ptr[r11 + 72], edx);
        a.mov(__dword_ptr[r11 + 76], 0);
        // The bytes: the output, then the path, a byte at a time (the direction flag is the program's).
        a.mov(rcx, Data.Value);
        a.add(rdi, rcx);
        var noOutput = a.CreateLabel();
        a.test(ebx, ebx);
        a.jz(noOutput);
        a.mov(ecx, r12d);
        a.shr(ecx, 16);
        a.and(ecx, 0xff);
        // Argument i is at 8 + 8i in the entry: 8 times one more than i.
        a.mov(rsi, __qword_ptr[r11 + rcx * 8]);
        CopyBytes(a, rbx);
        a.Label(ref noOutput);
        a.cmp(edx, MaxPath);
        a.ja(done);
        a.mov(ecx, r12d);
        a.shr(ecx, 24);
        a.mov(rsi, __qword_ptr[r11 + rcx * 8]);
        CopyBytes(a, rdx);
        a.Label(ref done);
        a.pop(r13);
        a.pop(r12);
        a.pop(rbx);
        a.pop(rdx);
        a.pop(rdi);
        a.pop(rsi);
        // Made here (r11 1), logged or not.
        a.mov(r11d, 1);
        a.ret();
        // Never run: the end of the shared code, for its range.
        a.Label(ref end);
        a.int3();
        using var stream = new MemoryStream();
        var result = a.Assemble(new StreamCodeWriter(stream), Address.Value, BlockEncoderOptions.ReturnNewInstructionOffsets);
        if (stream.Length > (long)CodeSize)
        {
            throw new InvalidOperationException("the code of the page of hooked syscalls outgrew its pages");
        }
        RemotePtr Rip(Label label) => new(result.GetLabelRIP(label));
        // Each call's code after its syscall runs up to the next call's, the last one's up to the shared code.
        (ulong, ulong)[] inEntry = [.. returns.Select((r, c) => (Rip(r).Value, Rip(c + 1 < Calls.Length ? blocks[c + 1] : log).Value)), (Rip(log).Value, Rip(end).Value)];
        return new Code(stream.ToArray(), Rip(entry), [.. returns.Select(Rip)], inEntry);
    }

    /// <summary>Jumps to <paramref name="slow"/> where the page does not make the call, as <paramref name="only"/> says.</summary>
    private static void Guard(Assembler a, Only only, Label entry, Label slow)
    {
        switch (only)
        {
            case Only.FutexWakes:
                var hooked = a.CreateLabel();
                a.mov(r11, rsi);
                a.and(r11d, 0x7f);
                foreach (int operation in FutexWakes)
                {
                    a.cmp(r11d, operation);
                    a.je(hooked);
                }
                a.jmp(slow);
                a.Label(ref hooked);
                break;
            case Only.QuietOpens:
                GuardFile(a, entry, slow, opens: true);
                break;
            case Only.FileReads:
                GuardFile(a, entry, slow, opens: false);
                break;
            case Only.PrivateAnonymousMaps:
                // mmap's flags (r10): MAP_ANONYMOUS, and of the mapping types, MAP_PRIVATE.
                const int Kind = Interop.MAP_ANONYMOUS | MapType;
                a.mov(r11d, r10d);
                a.and(r11d, Kind);
                a.cmp(r11d, Interop.MAP_ANONYMOUS | Interop.MAP_PRIVATE);
                a.jne(slow);
                break;
        }
    }

    /// <summary>mmap's flags that hold its mapping's type: MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE.</summary>
    private const int MapType = 0x0f;

    /// <summary>
    /// Where the page must not make an openat or a read (its arguments in rdi, rsi, rdx and r10),
    /// jumps to <paramref name="slow"/>: an open for writing, creating or truncating (O_TMPFILE is
    /// for writing alone; the recorder follows those: the program's output, a file it changes), or
    /// one whose file may make it wait for another thread: a FIFO's open waits for its other end,
    /// a device's driver may wait, a socket cannot be opened; a read waits on anything but a file.
    /// The file is looked at first with the page's own newfstatat of the path, or fstat of the
    /// descriptor, called through <paramref name="entry"/> and logged as a call of the program's
    /// (replay answers it as the recording did, and the page goes the same way): a regular file is
    /// opened or read here, a directory opened, and so is a path or descriptor the stat found
    /// nothing at (an open without O_CREAT finds nothing either, a read fails alike). Only a file
    /// changed between the two calls could still wait here.
    /// </summary>
    private static void GuardFile(Assembler a, Label entry, Label slow, bool opens)
    {
        const int Writes = Interop.O_ACCMODE | Interop.O_CREAT | Interop.O_TRUNC;
        const int StatSize = 144, ModeOffset = 24, FileType = 0xf000, RegularFile = 0x8000, Directory = 0x4000;
        var quiet = a.CreateLabel();
        var waits = a.CreateLabel();
        var stat = a.CreateLabel();
        if (opens)
        {
            a.test(edx, Writes);
            a.jnz(slow);
        }
        a.push(rsi);
        a.push(rdx);
        a.push(r10);
        a.sub(rsp, StatSize);
        if (opens)
        {
            // newfstatat(dirfd, path, buffer, AT_SYMLINK_NOFOLLOW where the open has O_NOFOLLOW).
            a.xor(r10d, r10d);
            a.test(edx, Interop.O_NOFOLLOW);
            a.jz(stat);
            a.mov(r10d, Interop.AT_SYMLINK_NOFOLLOW);
            a.Label(ref stat);
            a.mov(rdx, rsp);
            a.mov(eax, Nr.newfstatat);
        }
        else
        {
            // fstat(fd, buffer).
            a.mov(rsi, rsp);
            a.mov(eax, Nr.fstat);
        }
        a.call(entry);
        // Not made (the log full): the site makes the call.
        a.test(r11d, r11d);
        a.jz(waits);
        a.test(rax, rax);
        a.jnz(quiet);
        a.mov(r11d, __dword_ptr[rsp + ModeOffset]);
        a.and(r11d, FileType);
        a.cmp(r11d, RegularFile);
        a.je(quiet);
        if (opens)
        {
            a.cmp(r11d, Directory);
            a.je(quiet);
        }
        a.Label(ref waits);
        Restore();
        a.jmp(slow);
        a.Label(ref quiet);
        Restore();

        void Restore()
        {
            a.add(rsp, StatSize);
            a.pop(r10);
            a.pop(rdx);
            a.pop(rsi);
        }
    }

    /// <summary>Copies <paramref name="length"/> bytes (a register, kept) from rsi to rdi, both advanced; rcx counts, r13 carries.</summary>
    private static void CopyBytes(Assembler a, AssemblerRegister64 length)
    {
        var loop = a.CreateLabel();
        var end = a.CreateLabel();
        a.xor(ecx, ecx);
        a.Label(ref loop);
        a.cmp(rcx, length);
        a.jae(end);
        a.mov(r13b, __byte_ptr[rsi + rcx]);
        a.mov(__byte_ptr[rdi + rcx], r13b);
        a.inc(rcx);
        a.jmp(loop);
        a.Label(ref end);
        a.add(rsi, rcx);
        a.add(rdi, rcx);
    }
}
