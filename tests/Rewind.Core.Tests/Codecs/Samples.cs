using Rewind.Checkpoints;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Core.Tests.Codecs;

/// <summary>Sample events and checkpoints with every field set, and a structural comparison for them.</summary>
internal static class Samples
{
    public static Registers Registers(ulong seed)
    {
        var r = new Registers
        {
            R15 = seed + 1, R14 = seed + 2, R13 = seed + 3, R12 = seed + 4, Rbp = seed + 5, Rbx = seed + 6,
            R11 = seed + 7, R10 = seed + 8, R9 = seed + 9, R8 = seed + 10, Rax = ulong.MaxValue - seed, Rcx = seed + 12,
            Rdx = seed + 13, Rsi = seed + 14, Rdi = seed + 15, OrigRax = ulong.MaxValue, Rip = 0x401000 + seed,
            Cs = 0x33, Eflags = 0x246, Rsp = 0x7ffffffde000 - seed, Ss = 0x2b, FsBase = 0x7ffff7d8a740,
            GsBase = 0, Ds = 0, Es = 0, Fs = 0, Gs = 0,
        };
        return r;
    }

    public static BlobId Blob(string content) => BlobId.Of(System.Text.Encoding.UTF8.GetBytes(content));

    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>One event of each kind, with small payloads: what the truncation tests cut up.</summary>
    public static IEnumerable<TraceEvent> SmallEvents()
    {
        yield return new SyscallEvent(new Tid(1234), 10, Nr.read, [3, 0x7ffffffde000, 4096, 0, 0, 0], 5, new RemotePtr(0x7ffff7e9a1b2),
            [new MemoryWrite(new RemotePtr(0x7ffffffde000), [1, 2, 3, 4, 5])]);
        yield return new SyscallEvent(new Tid(1234), 11, Nr.mmap, [0, 8192, 5, 2, 3, 0], 0x7ffff7fc0000, new RemotePtr(0x7ffff7fe1000), [],
            Mapping: new FileMapping("/usr/lib/x86_64-linux-gnu/libc.so.6", Blob("libc"), 4096, 2_000_000));
        yield return new SyscallEvent(new Tid(1234), 12, Nr.write, [1, 0x4020, 6, 0, 0, 0], 6, new RemotePtr(0x401234), [],
            Output: new StandardStream(1, "hello\n"u8.ToArray()));
        yield return new SyscallEvent(new Tid(1235), 12, Nr.mmap, [0x7f0000010000, 65536, 0, 0x11, 8, 0x21000], 0x7f0000010000, new RemotePtr(0x7ffff7fe1000), [],
            Shared: new SharedFileMapping("/memfd:doublemapper (deleted)", 0x1b, ulong.MaxValue, 25_276_514_304, Blob("code")));
        yield return new SyscallEvent(new Tid(1234), 9, 257, [ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue],
            -2, new RemotePtr(ulong.MaxValue), []);
        yield return new SyscallEvent(new Tid(1234), 9, 264, [0xffffff9c, 0x4000, 3, 0x4100, 0, 0], 0, new RemotePtr(0x401000), [],
            Paths: ["/tmp/old name", "ünïcode/new"]);
        yield return new SyscallEvent(new Tid(1235), 17, Nr.writev, [5, 0x4000, 3, 0, 0, 0], 4096, new RemotePtr(0x401234), [], Sent: 0xfedcba9876543210);
        yield return new SyscallEvent(new Tid(1235), 18, Nr.mmap, [0, 12288, 3, 2, 4, 0], 0x7f0000020000, new RemotePtr(0x7ffff7fe1000), [],
            Shared: new SharedFileMapping("/tmp/data.bin", 0x803, 1234567, 5000, Blob("data"), Private: true));
        yield return new SyscallEvent(new Tid(1235), 18, Nr.mmap, [0, 12288, 1, 2, 5, 0], 0x7f0000030000, new RemotePtr(0x7ffff7fe1000), [],
            Mapping: new FileMapping("/tmp/data.bin", Blob("data"), 0, 5000), PastEnd: (0x803, 1234567));
        yield return new SyscallEvent(new Tid(1236), 19, Nr.pwrite64, [3, 0x4000, 5, 8192, 0, 0], 5, new RemotePtr(0x401234), [], Sent: 42,
            Change: new FileChange(0x803, 1234567, 8197, [new FileBytes(8192, 5, "grown"u8.ToArray()), new FileBytes(5000, 3192, [])],
                [new CopyWrite(1235, new MemoryWrite(new RemotePtr(0x7f0000032000), "grown"u8.ToArray())), new CopyWrite(1234, new MemoryWrite(new RemotePtr(0x7f0000041388), [0, 0, 0]))]));
        yield return new SignalEvent(new Tid(1234), 13, 10, Pattern(128, 1), false, Registers(7), 0xdeadbeefcafef00d);
        yield return new SignalEvent(new Tid(1234), 13, 27, Pattern(128, 2), false, Registers(8), 0xfeedfacecafebeef, 4_000_123, Pattern(256, 3));
        yield return new PreemptionEvent(new Tid(1235), 14, Registers(9), 0x0123456789abcdef, 51_000_000);
        yield return new PreemptionEvent(new Tid(1235), 14, Registers(10), ulong.MaxValue, 0,
            [new MemoryWord(new RemotePtr(0x404040), 7), new MemoryWord(new RemotePtr(ulong.MaxValue - 7), ulong.MaxValue)]);
        yield return new PreemptionEvent(new Tid(1235), 14, Registers(11), 0, 1, []);
        yield return new RdtscEvent(new Tid(1234), 14, new RemotePtr(0x401100), ulong.MaxValue, 3, true);
        yield return new ExecEvent(new Tid(1234), 15, 1);
        yield return new ExecEvent(new Tid(1240), 15, 2, ["cc1", "-quiet", "", "ünïcode file.c"]);
        yield return new NewProcessEvent(new Tid(1234), 15, 1240);
        yield return new ProcessLeftEvent(new Tid(1240), 16, "the program called ptrace (syscall 101), which Rewind cannot record: ü");
        yield return new CodePatchEvent(new Tid(1234), 16, [new RemotePtr(0x7fff_f800_0000)],
            [new MemoryWrite(new RemotePtr(0x7fff_f800_0040), [0x48, 0x8d, 0x64, 0x24, 0x80]), new MemoryWrite(new RemotePtr(0x7fff_f7ea_a4e0), [0xe9, 0x5b, 0x5b, 0x15, 0x00])]);
        yield return new CodePatchEvent(new Tid(1234), 16, [], [new MemoryWrite(new RemotePtr(0x7fff_f7ea_a4f0), [0xe9, 0, 0, 0, 0])]);
        yield return new ExitEvent(new Tid(1234), 16, new ExitStatus(255, 0, false));
    }

    public static CheckpointImage Checkpoint()
    {
        var file = new FileMapping("/home/user/dir with spaces/prog (deleted)", Blob("prog"), 0x1000, 0x5123);
        return new CheckpointImage(
            Index: 3,
            EventIndex: 123456789012,
            Time: -5,
            Registers(42),
            ExtendedState: Pattern(832, 2),
            BlockedSignals: 0x8000000000000001,
            SignalActions: [new SignalAction(2, 0x401500, 0x04000000, 0x7ffff7df0000, ulong.MaxValue), new SignalAction(64, 1, 0, 0, 0)],
            ProgramBreak: 0x4c5000,
            Regions:
            [
                new SavedRegion(new RemotePtr(0x400000), new RemotePtr(0x402000), Protection.Read | Protection.Execute, false, "/home/user/dir with spaces/prog (deleted)", file,
                    [new SavedPage(new RemotePtr(0x401000), Pattern(4096, 3))], Sealed: true),
                new SavedRegion(new RemotePtr(0x7ffffffde000), new RemotePtr(0x7ffffffff000), Protection.Read | Protection.Write, false, "[stack]", null,
                    [new SavedPage(new RemotePtr(0x7ffffffde000), Pattern(8192, 4)), new SavedPage(new RemotePtr(0x7fffffffe000), Pattern(4096, 5))]),
                new SavedRegion(new RemotePtr(0x7ffff7ff0000), new RemotePtr(0x7ffff7ff1000), Protection.None, true, "", null, []),
                new SavedRegion(new RemotePtr(0x7ffff7fe0000), new RemotePtr(0x7ffff7fe3000), Protection.Read | Protection.Write, false, "/tmp/data.bin",
                    new FileMapping("/tmp/data.bin", Blob("under the region"), 0x1000, 0x1388), [new SavedPage(new RemotePtr(0x7ffff7fe1000), Pattern(4096, 8))],
                    SharedFile: (0x803, 1234567, 0x1000)),
            ],
            Threads:
            [
                new CheckpointThread(new Tid(4321), "worker-2", new ThreadState(Registers(42), Pattern(832, 2), 0x8000000000000001, Pattern(24, 6), 0x7ffff7d8e9a0, 24, new RemotePtr(0x7ffff7d8e990))),
                new CheckpointThread(new Tid(4300), "prog", new ThreadState(Registers(9), Pattern(832, 7), 0, ThreadState.NoAltStack(), 0, 0, RemotePtr.Null)),
            ],
            Moment: new CheckpointMoment(4300, 2, 2));
    }

    public static void AssertSame(TraceEvent expected, TraceEvent actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Tid, actual.Tid);
        Assert.Equal(expected.Time, actual.Time);
        switch (expected, actual)
        {
            case (SyscallEvent e, SyscallEvent a):
                Assert.Equal(e.Number, a.Number);
                Assert.Equal(e.Args, a.Args);
                Assert.Equal(e.Result, a.Result);
                Assert.Equal(e.Pc, a.Pc);
                Assert.Equal(e.Writes.Count, a.Writes.Count);
                for (int i = 0; i < e.Writes.Count; i++)
                {
                    Assert.Equal(e.Writes[i].Address, a.Writes[i].Address);
                    Assert.True(e.Writes[i].Data.AsSpan().SequenceEqual(a.Writes[i].Data), $"write {i} differs");
                }
                Assert.Equal(e.Mapping, a.Mapping);
                Assert.Equal(e.Shared, a.Shared);
                Assert.Equal(e.Paths, a.Paths);
                Assert.Equal(e.Sent, a.Sent);
                Assert.Equal(e.PastEnd, a.PastEnd);
                Assert.Equal((e.Change?.Device, e.Change?.Inode, e.Change?.Size), (a.Change?.Device, a.Change?.Inode, a.Change?.Size));
                Assert.Equal(e.Change?.Ranges.Select(r => (r.Offset, r.Length, Convert.ToHexString(r.Data))), a.Change?.Ranges.Select(r => (r.Offset, r.Length, Convert.ToHexString(r.Data))));
                Assert.Equal(e.Change?.Copies.Select(c => (c.Pid, c.Write.Address, Convert.ToHexString(c.Write.Data))), a.Change?.Copies.Select(c => (c.Pid, c.Write.Address, Convert.ToHexString(c.Write.Data))));
                Assert.Equal(e.Output?.Fd, a.Output?.Fd);
                Assert.True((e.Output?.Data ?? []).AsSpan().SequenceEqual(a.Output?.Data ?? []), "output differs");
                Assert.Equal(e.Output is null, a.Output is null);
                break;
            case (SignalEvent e, SignalEvent a):
                Assert.Equal(e.Signal, a.Signal);
                Assert.Equal(e.SigInfo, a.SigInfo);
                Assert.Equal(e.Synchronous, a.Synchronous);
                Assert.Equal(e.Registers, a.Registers);
                Assert.Equal(e.StackDigest, a.StackDigest);
                Assert.Equal(e.RunNanos, a.RunNanos);
                Assert.Equal(e.StackTop, a.StackTop);
                break;
            case (PreemptionEvent e, PreemptionEvent a):
                Assert.Equal(e.Registers, a.Registers);
                Assert.Equal(e.StackDigest, a.StackDigest);
                Assert.Equal(e.RunNanos, a.RunNanos);
                Assert.Equal(e.LoopWords, a.LoopWords);
                break;
            case (ChildOutputEvent e, ChildOutputEvent a):
                Assert.Equal(e.Output.Fd, a.Output.Fd);
                Assert.True(e.Output.Data.AsSpan().SequenceEqual(a.Output.Data), "output differs");
                break;
            case (ExecEvent e, ExecEvent a):
                Assert.Equal(e.Checkpoint, a.Checkpoint);
                Assert.Equal(e.CommandLine, a.CommandLine);
                break;
            case (CodePatchEvent e, CodePatchEvent a):
                Assert.Equal(e.Mapped, a.Mapped);
                Assert.Equal(e.Writes.Select(w => (w.Address, Convert.ToHexString(w.Data))), a.Writes.Select(w => (w.Address, Convert.ToHexString(w.Data))));
                break;
            default:
                // Rdtsc, new process and exit events hold only values: record equality is exact.
                Assert.Equal(expected, actual);
                break;
        }
    }

    public static void AssertSame(CheckpointImage e, CheckpointImage a)
    {
        Assert.Equal(e.Index, a.Index);
        Assert.Equal(e.EventIndex, a.EventIndex);
        Assert.Equal(e.Time, a.Time);
        Assert.Equal(e.Registers, a.Registers);
        Assert.Equal(e.ExtendedState, a.ExtendedState);
        Assert.Equal(e.BlockedSignals, a.BlockedSignals);
        Assert.Equal(e.SignalActions, a.SignalActions);
        Assert.Equal(e.ProgramBreak, a.ProgramBreak);
        Assert.Equal(e.Regions.Count, a.Regions.Count);
        for (int i = 0; i < e.Regions.Count; i++)
        {
            SavedRegion x = e.Regions[i], y = a.Regions[i];
            Assert.Equal((x.Start, x.End, x.Protection, x.Shared, x.Name, x.File, x.InheritsBase, x.SharedFile, x.Sealed, x.IsPrivateView),
                (y.Start, y.End, y.Protection, y.Shared, y.Name, y.File, y.InheritsBase, y.SharedFile, y.Sealed, y.IsPrivateView));
            Assert.Equal(x.Pages.Count, y.Pages.Count);
            for (int j = 0; j < x.Pages.Count; j++)
            {
                Assert.Equal(x.Pages[j].Address, y.Pages[j].Address);
                Assert.Equal(x.Pages[j].Data, y.Pages[j].Data);
            }
        }
        Assert.Equal(e.StoredBytes, a.StoredBytes);
        Assert.Equal(e.Threads.Count, a.Threads.Count);
        for (int i = 0; i < e.Threads.Count; i++)
        {
            var (x, y) = (e.Threads[i], a.Threads[i]);
            Assert.Equal((x.Tid, x.Name, x.State.Registers, x.State.BlockedSignals, x.State.RobustList, x.State.RobustListLength, x.State.ClearChildTid),
                (y.Tid, y.Name, y.State.Registers, y.State.BlockedSignals, y.State.RobustList, y.State.RobustListLength, y.State.ClearChildTid));
            Assert.Equal(x.State.ExtendedState, y.State.ExtendedState);
            Assert.Equal(x.State.AltStack, y.State.AltStack);
        }
        Assert.Equal(e.Moment, a.Moment);
    }
}
