using Rewind.Syscalls;

namespace Rewind.Trace;

/// <summary>
/// Encodes trace events into an Events chunk payload and back. The layout is specified in
/// docs/trace-format.md ("Event encoding"); change both together.
/// </summary>
public static class EventCodec
{
    private enum Kind : byte { Syscall = 1, Signal = 2, Rdtsc = 3, Exec = 4, Exit = 5, ChildOutput = 6, SyscallEntry = 7, Preemption = 8, AsyncSignal = 9, NewProcess = 10, ExecWithCommandLine = 11, ProcessLeft = 12, PreemptionInLoop = 13, CodePatch = 14 }

    // Caps for hostile input: no syscall writes more pieces of memory than this.
    private const int MaxWrites = 1 << 16;
    // A syscall takes at most two paths (rename); a few more leave room.
    private const int MaxPaths = 8;
    // A code patch maps a page or two and writes a stub and a jump.
    private const int MaxPatchPages = 8;
    // A syscall changes one range of a file, and the end of its last page when it grows it.
    private const int MaxChangedRanges = 2;

    /// <summary>The most words of memory a preemption in a loop may carry.</summary>
    public const int MaxLoopWords = 64;
    // execve takes at most MAX_ARG_STRINGS (0x7fffffff) arguments, bounded first by their size: 1/4 of the stack limit.
    private const int MaxArguments = 1 << 20;

    /// <summary>Appends one event; times are stored as deltas from <paramref name="previousTime"/>.</summary>
    public static void Write(ByteWriter w, TraceEvent e, long previousTime)
    {
        w.Byte((byte)(e switch
        {
            SyscallEvent => Kind.Syscall,
            SignalEvent { Synchronous: false, RunNanos: not null } => Kind.AsyncSignal,
            SignalEvent => Kind.Signal,
            RdtscEvent => Kind.Rdtsc,
            ExecEvent { CommandLine: null } => Kind.Exec,
            ExecEvent => Kind.ExecWithCommandLine,
            ChildOutputEvent => Kind.ChildOutput,
            ExitEvent => Kind.Exit,
            SyscallEntryEvent => Kind.SyscallEntry,
            PreemptionEvent { LoopWords: not null } => Kind.PreemptionInLoop,
            PreemptionEvent => Kind.Preemption,
            NewProcessEvent => Kind.NewProcess,
            ProcessLeftEvent => Kind.ProcessLeft,
            CodePatchEvent => Kind.CodePatch,
            _ => throw new ArgumentException($"unknown event {e.GetType().Name}"),
        }));
        w.VarU((ulong)e.Tid.Value);
        w.VarS(e.Time - previousTime);
        switch (e)
        {
            case SyscallEvent s:
                w.VarU((ulong)s.Number);
                foreach (ulong a in s.Args)
                {
                    w.VarU(a);
                }
                w.VarS(s.Result);
                w.VarU(s.Pc.Value);
                w.VarU((ulong)s.Writes.Count);
                foreach (var write in s.Writes)
                {
                    w.VarU(write.Address.Value);
                    w.Bytes(write.Data);
                }
                byte flags = (byte)((s.Mapping != null ? 1 : 0) | (s.Output != null ? 2 : 0) | (s.Shared != null ? 4 : 0) | (s.Paths != null ? 8 : 0) | (s.Sent != null ? 16 : 0)
                    | (s.Shared is { Private: true } ? 32 : 0) | (s.Change != null ? 64 : 0) | (s.PastEnd != null ? 128 : 0));
                w.Byte(flags);
                if (s.Mapping is { } m)
                {
                    w.String(m.Path);
                    w.Raw(m.Blob.ToBytes());
                    w.VarU(m.FileOffset);
                    w.VarU(m.FileSize);
                }
                if (s.Output is { } o)
                {
                    w.VarU((ulong)o.Fd);
                    w.Bytes(o.Data);
                }
                if (s.Shared is { } f)
                {
                    w.String(f.Path);
                    w.VarU(f.Device);
                    w.VarU(f.Inode);
                    w.VarU(f.FileSize);
                    w.Raw(f.Content.ToBytes());
                }
                if (s.Paths is { } paths)
                {
                    w.VarU((ulong)paths.Count);
                    foreach (string path in paths)
                    {
                        w.String(path);
                    }
                }
                if (s.Sent is { } sent)
                {
                    w.U64(sent);
                }
                if (s.Change is { } change)
                {
                    w.VarU(change.Device);
                    w.VarU(change.Inode);
                    w.VarU(change.Size);
                    w.VarU((ulong)change.Ranges.Count);
                    foreach (var range in change.Ranges)
                    {
                        w.VarU(range.Offset);
                        w.VarU(range.Length);
                        w.Bytes(range.Data);
                    }
                    w.VarU((ulong)change.Copies.Count);
                    foreach (var copy in change.Copies)
                    {
                        w.VarU((ulong)copy.Pid);
                        w.VarU(copy.Write.Address.Value);
                        w.Bytes(copy.Write.Data);
                    }
                }
                if (s.PastEnd is var (device, inode))
                {
                    w.VarU(device);
                    w.VarU(inode);
                }
                break;
            case SignalEvent { Synchronous: false, RunNanos: { } ran } g:
                w.VarU((ulong)g.Signal);
                w.Bytes(g.SigInfo);
                w.Raw(g.Registers.ToBytes());
                w.U64(g.StackDigest);
                w.VarU(ran);
                w.Bytes(g.StackTop ?? []);
                break;
            case SignalEvent g:
                w.VarU((ulong)g.Signal);
                w.Bytes(g.SigInfo);
                w.Byte(g.Synchronous ? (byte)1 : (byte)0);
                w.Raw(g.Registers.ToBytes());
                w.U64(g.StackDigest);
                break;
            case RdtscEvent r:
                w.VarU(r.Pc.Value);
                w.U64(r.Counter);
                w.VarU(r.Aux);
                w.Byte(r.IsRdtscp ? (byte)1 : (byte)0);
                break;
            case ExecEvent x:
                w.VarU((ulong)x.Checkpoint);
                if (x.CommandLine is { } argv)
                {
                    w.VarU((ulong)argv.Count);
                    foreach (string a in argv)
                    {
                        w.String(a);
                    }
                }
                break;
            case NewProcessEvent n:
                w.VarU((ulong)n.Pid);
                break;
            case ProcessLeftEvent left:
                w.String(left.Reason);
                break;
            case CodePatchEvent patch:
                w.VarU((ulong)patch.Mapped.Count);
                foreach (var page in patch.Mapped)
                {
                    w.VarU(page.Value);
                }
                w.VarU((ulong)patch.Writes.Count);
                foreach (var write in patch.Writes)
                {
                    w.VarU(write.Address.Value);
                    w.Bytes(write.Data);
                }
                break;
            case ChildOutputEvent c:
                w.VarU((ulong)c.Output.Fd);
                w.Bytes(c.Output.Data);
                break;
            case ExitEvent x:
                w.VarU((ulong)x.Status.Code);
                w.VarU((ulong)x.Status.Signal);
                w.Byte(x.Status.CoreDumped ? (byte)1 : (byte)0);
                break;
            case SyscallEntryEvent n:
                w.VarU((ulong)n.Number);
                foreach (ulong a in n.Args)
                {
                    w.VarU(a);
                }
                w.VarU(n.Pc.Value);
                break;
            case PreemptionEvent p:
                w.Raw(p.Registers.ToBytes());
                w.U64(p.StackDigest);
                w.VarU(p.RunNanos);
                if (p.LoopWords is { } words)
                {
                    w.VarU((ulong)words.Count);
                    foreach (var word in words)
                    {
                        w.VarU(word.Address.Value);
                        w.U64(word.Value);
                    }
                }
                break;
        }
    }

    /// <summary>Reads one event.</summary>
    public static TraceEvent Read(ByteReader r, long previousTime)
    {
        var kind = (Kind)r.Byte();
        var tid = new Tid(r.VarInt(int.MaxValue));
        long time = previousTime + r.VarS();
        switch (kind)
        {
            case Kind.Syscall:
            {
                int number = r.VarInt(4096);
                var args = new ulong[6];
                for (int i = 0; i < 6; i++)
                {
                    args[i] = r.VarU();
                }
                long result = r.VarS();
                var pc = new RemotePtr(r.VarU());
                int count = r.VarInt(MaxWrites);
                var writes = new MemoryWrite[count];
                for (int i = 0; i < count; i++)
                {
                    var address = new RemotePtr(r.VarU());
                    writes[i] = new MemoryWrite(address, r.Bytes());
                }
                byte flags = r.Byte();
                // 32 (private) qualifies a stand-in mapping (4), 128 (past the end) a copy (1).
                if ((flags & 36) == 32 || (flags & 129) == 128)
                {
                    throw r.Bad($"unknown syscall event flags 0x{flags:x}");
                }
                FileMapping? mapping = null;
                StandardStream? output = null;
                SharedFileMapping? shared = null;
                if ((flags & 1) != 0)
                {
                    mapping = new FileMapping(r.String(), BlobId.FromBytes(r.Raw(32)), r.VarU(), r.VarU());
                }
                if ((flags & 2) != 0)
                {
                    output = new StandardStream(r.VarInt(2), r.Bytes());
                }
                if ((flags & 4) != 0)
                {
                    shared = new SharedFileMapping(r.String(), r.VarU(), r.VarU(), r.VarU(), BlobId.FromBytes(r.Raw(32)), Private: (flags & 32) != 0);
                }
                string[]? paths = null;
                if ((flags & 8) != 0)
                {
                    paths = new string[r.VarInt(MaxPaths)];
                    for (int i = 0; i < paths.Length; i++)
                    {
                        paths[i] = r.String();
                    }
                }
                ulong? sent = (flags & 16) != 0 ? r.U64() : null;
                var change = (flags & 64) != 0 ? ReadChange(r) : null;
                (ulong, ulong)? pastEnd = (flags & 128) != 0 ? (r.VarU(), r.VarU()) : null;
                return new SyscallEvent(tid, time, number, args, result, pc, writes, mapping, output, shared, paths, sent, change, pastEnd);
            }
            case Kind.Signal:
                return new SignalEvent(tid, time, r.VarInt(64), r.Bytes(), r.Byte() != 0, Registers.FromBytes(r.Raw(Registers.Size)), r.U64());
            case Kind.AsyncSignal:
            {
                int signal = r.VarInt(64);
                byte[] info = r.Bytes();
                var registers = Registers.FromBytes(r.Raw(Registers.Size));
                ulong digest = r.U64(), ran = r.VarU();
                byte[] top = r.Bytes();
                if (top.Length > StackDigest.Length)
                {
                    throw r.Bad($"a stack top of {top.Length} bytes (at most {StackDigest.Length})");
                }
                return new SignalEvent(tid, time, signal, info, false, registers, digest, ran, top);
            }
            case Kind.Rdtsc:
                return new RdtscEvent(tid, time, new RemotePtr(r.VarU()), r.U64(), r.VarU32(), r.Byte() != 0);
            case Kind.Exec:
                return new ExecEvent(tid, time, r.VarInt(int.MaxValue));
            case Kind.ExecWithCommandLine:
            {
                int checkpoint = r.VarInt(int.MaxValue);
                var argv = new string[r.VarInt(MaxArguments)];
                for (int i = 0; i < argv.Length; i++)
                {
                    argv[i] = r.String();
                }
                return new ExecEvent(tid, time, checkpoint, argv);
            }
            case Kind.NewProcess:
                return new NewProcessEvent(tid, time, r.VarInt(int.MaxValue));
            case Kind.ProcessLeft:
                return new ProcessLeftEvent(tid, time, r.String());
            case Kind.CodePatch:
            {
                var mapped = new RemotePtr[r.VarInt(MaxPatchPages)];
                for (int i = 0; i < mapped.Length; i++)
                {
                    mapped[i] = new RemotePtr(r.VarU());
                }
                var writes = new MemoryWrite[r.VarInt(MaxPatchPages * 2)];
                if (writes.Length == 0)
                {
                    // The last write is the patched site, which readers name.
                    throw r.Bad("a code patch that writes nothing");
                }
                for (int i = 0; i < writes.Length; i++)
                {
                    writes[i] = new MemoryWrite(new RemotePtr(r.VarU()), r.Bytes());
                }
                return new CodePatchEvent(tid, time, mapped, writes);
            }
            case Kind.ChildOutput:
                return new ChildOutputEvent(tid, time, new StandardStream(r.VarInt(2), r.Bytes()));
            case Kind.Exit:
                return new ExitEvent(tid, time, new ExitStatus(r.VarInt(255), r.VarInt(64), r.Byte() != 0));
            case Kind.SyscallEntry:
            {
                int number = r.VarInt(4096);
                var args = new ulong[6];
                for (int i = 0; i < 6; i++)
                {
                    args[i] = r.VarU();
                }
                return new SyscallEntryEvent(tid, time, number, args, new RemotePtr(r.VarU()));
            }
            case Kind.Preemption:
                return new PreemptionEvent(tid, time, Registers.FromBytes(r.Raw(Registers.Size)), r.U64(), r.VarU());
            case Kind.PreemptionInLoop:
            {
                var (regs, digest, ran) = (Registers.FromBytes(r.Raw(Registers.Size)), r.U64(), r.VarU());
                var words = new MemoryWord[r.VarInt(MaxLoopWords)];
                for (int i = 0; i < words.Length; i++)
                {
                    words[i] = new MemoryWord(new RemotePtr(r.VarU()), r.U64());
                }
                return new PreemptionEvent(tid, time, regs, digest, ran, words);
            }
            default:
                throw r.Bad($"unknown event kind {(byte)kind}");
        }
    }

    /// <summary>A syscall's change to a file: each range's bytes lie in it, and it lies in the file.</summary>
    private static FileChange ReadChange(ByteReader r)
    {
        var (device, inode, size) = (r.VarU(), r.VarU(), r.VarU());
        var ranges = new FileBytes[r.VarInt(MaxChangedRanges)];
        for (int i = 0; i < ranges.Length; i++)
        {
            var (offset, length, data) = (r.VarU(), r.VarU(), r.Bytes());
            if ((ulong)data.Length > length || offset > size || length > size - offset)
            {
                throw r.Bad($"a file change of {data.Length} bytes in {length} at {offset} of a file of {size}");
            }
            ranges[i] = new FileBytes(offset, length, data);
        }
        var copies = new CopyWrite[r.VarInt(MaxWrites)];
        for (int i = 0; i < copies.Length; i++)
        {
            copies[i] = new CopyWrite(r.VarInt(int.MaxValue), new MemoryWrite(new RemotePtr(r.VarU()), r.Bytes()));
        }
        return new FileChange(device, inode, size, ranges, copies);
    }
}
