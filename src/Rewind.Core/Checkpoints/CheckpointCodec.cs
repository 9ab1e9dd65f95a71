using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>Encodes a checkpoint as a Checkpoint chunk payload and its pages as CheckpointPages payloads (docs/trace-format.md).</summary>
public static class CheckpointCodec
{
    private const int MaxRegions = 1 << 16, MaxRuns = 1 << 24, MaxSignals = 64, MaxParts = 1 << 20, MaxThreads = 1 << 16, MaxProcesses = 1 << 16, AltStackSize = 24;
    // The kernel keeps at most 32768 instructions of filters per thread (seccomp(2), ENOMEM), each at most BPF_MAXINSNS.
    private const int MaxFilters = 32768, MaxFilterBytes = 4096 * 8;
    private const byte Shared = 8, FileBacked = 16, InheritsBase = 32, SharedFile = 64, Sealed = 128;

    public static void Write(ByteWriter w, CheckpointImage c)
    {
        w.VarU((ulong)c.Index);
        w.VarU((ulong)c.EventIndex);
        w.VarS(c.Time);
        w.Raw(c.Registers.ToBytes());
        w.Bytes(c.ExtendedState);
        w.U64(c.BlockedSignals);
        w.VarU((ulong)c.SignalActions.Count);
        foreach (var a in c.SignalActions)
        {
            w.VarU((ulong)a.Signal);
            w.VarU(a.Handler);
            w.VarU(a.Flags);
            w.VarU(a.Restorer);
            w.U64(a.Mask);
        }
        w.VarU(c.ProgramBreak);
        w.VarU((ulong)c.Regions.Count);
        foreach (var r in c.Regions)
        {
            w.VarU(r.Start.Value);
            w.VarU(r.End.Value);
            w.Byte((byte)((int)r.Protection | (r.Shared ? Shared : 0) | (r.File != null ? FileBacked : 0) | (r.InheritsBase ? InheritsBase : 0) | (r.SharedFile != null ? SharedFile : 0)
                | (r.Sealed ? Sealed : 0)));
            w.String(r.Name);
            if (r.File is { } f)
            {
                w.String(f.Path);
                w.Raw(f.Blob.ToBytes());
                w.VarU(f.FileOffset);
                w.VarU(f.FileSize);
            }
            if (r.SharedFile is { } s)
            {
                w.VarU(s.Device);
                w.VarU(s.Inode);
                w.VarU(s.Offset);
            }
            w.VarU((ulong)r.Pages.Count);
            foreach (var p in r.Pages)
            {
                w.VarU(p.Address.Value);
                w.Bytes(p.Data.Span);
            }
        }
        // Added after version 0.1: a payload ending here is a full checkpoint with no parts.
        w.VarU(c.Base is { } b ? (ulong)b + 1 : 0);
        w.VarU((ulong)c.Parts);
        // Added with threads: a payload ending here is a checkpoint of the main thread alone.
        w.VarU((ulong)c.Threads.Count);
        for (int i = 0; i < c.Threads.Count; i++)
        {
            var (tid, name, state) = c.Threads[i];
            w.VarU((ulong)tid.Value);
            w.String(name);
            if (i > 0)
            {
                // The first thread's registers, FPU/AVX state and mask are the image's own, above.
                w.Raw(state.Registers.ToBytes());
                w.Bytes(state.ExtendedState);
                w.U64(state.BlockedSignals);
            }
            w.Raw(state.AltStack);
            w.VarU(state.RobustList);
            w.VarU(state.RobustListLength);
            w.VarU(state.ClearChildTid.Value);
        }
        // Added with format 5: a payload ending here holds the first process, or one alone (its exec).
        if (c.Moment is { } m)
        {
            w.VarU((ulong)m.Pid);
            w.VarU((ulong)m.First);
            w.VarU((ulong)m.Count);
        }
        // Added with format 6: a payload ending here holds no filter of the program's.
        if (c.Filters.Count > 0)
        {
            if (c.Moment == null)
            {
                throw new InvalidOperationException("a checkpoint with seccomp filters has no moment");
            }
            w.VarU((ulong)c.Filters.Count);
            foreach (var f in c.Filters)
            {
                w.VarU(f.Flags);
                w.Bytes(f.Program);
            }
        }
    }

    public static CheckpointImage Read(ByteReader r)
    {
        int index = r.VarInt(int.MaxValue);
        long eventIndex = (long)r.VarU();
        long time = r.VarS();
        var regs = Registers.FromBytes(r.Raw(Registers.Size));
        byte[] xstate = r.Bytes();
        ulong blocked = r.U64();
        var actions = new SignalAction[r.VarInt(MaxSignals)];
        for (int i = 0; i < actions.Length; i++)
        {
            actions[i] = new SignalAction(r.VarInt(MaxSignals), r.VarU(), r.VarU(), r.VarU(), r.U64());
        }
        ulong programBreak = r.VarU();
        var regions = new SavedRegion[r.VarInt(MaxRegions)];
        for (int i = 0; i < regions.Length; i++)
        {
            var start = new RemotePtr(r.VarU());
            var end = new RemotePtr(r.VarU());
            byte bits = r.Byte();
            string name = r.String();
            // A private region naming a shared file is a private view of its stand-in (version 8),
            // which names its bytes (16) too and inherits nothing from a base.
            if ((bits & (Shared | SharedFile)) == SharedFile && (bits & (FileBacked | InheritsBase)) != FileBacked)
            {
                throw r.Bad($"a private view of a file without its bytes, or inheriting them (region flags 0x{bits:x})");
            }
            FileMapping? file = (bits & FileBacked) != 0 ? new FileMapping(r.String(), BlobId.FromBytes(r.Raw(32)), r.VarU(), r.VarU()) : null;
            (ulong, ulong, ulong)? sharedFile = (bits & SharedFile) != 0 ? (r.VarU(), r.VarU(), r.VarU()) : null;
            var pages = new SavedPage[r.VarInt(Math.Min(MaxRuns, r.Remaining / 2))]; // a page takes 2 bytes at least
            for (int j = 0; j < pages.Length; j++)
            {
                var address = new RemotePtr(r.VarU());
                pages[j] = new SavedPage(address, r.BytesSlice());
            }
            if (end <= start)
            {
                throw r.Bad($"a region that ends before it starts ({start}-{end})");
            }
            regions[i] = new SavedRegion(start, end, (Protection)(bits & 7), (bits & Shared) != 0, name, file, pages, (bits & InheritsBase) != 0, sharedFile, (bits & Sealed) != 0);
        }
        int b = r.VarInt(index);
        int? baseIndex = b == 0 ? null : b - 1;
        int parts = r.VarInt(MaxParts);
        if (baseIndex == null && regions.Any(x => x.InheritsBase))
        {
            throw r.Bad("a region inherits pages from a base checkpoint, but there is none");
        }
        var threads = new CheckpointThread[r.AtEnd ? 0 : r.VarInt(MaxThreads)];
        for (int i = 0; i < threads.Length; i++)
        {
            var tid = new Tid(r.VarInt(int.MaxValue));
            string name = r.String();
            var (threadRegs, threadXstate, threadBlocked) = i == 0 ? (regs, xstate, blocked) : (Registers.FromBytes(r.Raw(Registers.Size)), r.Bytes(), r.U64());
            var state = new ThreadState(threadRegs, threadXstate, threadBlocked, r.Raw(AltStackSize), r.VarU(), r.VarU(), new RemotePtr(r.VarU()));
            threads[i] = new CheckpointThread(tid, name, state);
        }
        CheckpointMoment? moment = null;
        if (!r.AtEnd)
        {
            int pid = r.VarInt(int.MaxValue), first = r.VarInt(index), count = r.VarInt(MaxProcesses);
            if (count > 0 && index >= first + count)
            {
                throw r.Bad($"checkpoint {index} is not among the {count} of its moment from checkpoint {first}");
            }
            moment = new CheckpointMoment(pid, first, count);
        }
        var filters = new ProgramFilter[r.AtEnd ? 0 : r.VarInt(MaxFilters)];
        for (int i = 0; i < filters.Length; i++)
        {
            filters[i] = new ProgramFilter(r.VarU(), r.Bytes());
            if (filters[i].Program.Length is 0 or > MaxFilterBytes || filters[i].Program.Length % 8 != 0)
            {
                throw r.Bad($"a seccomp filter of {filters[i].Program.Length} bytes");
            }
        }
        return new CheckpointImage(index, eventIndex, time, regs, xstate, blocked, actions, programBreak, regions, baseIndex, parts, threads, moment) { Filters = filters };
    }

    /// <summary>The most bytes a CheckpointPages payload of <paramref name="runs"/> runs holding <paramref name="bytes"/> bytes takes.</summary>
    public static int PartBound(int runs, int bytes) => 2 * ByteWriter.MaxVarULength + runs * 2 * ByteWriter.MaxVarULength + bytes;

    /// <summary>Writes the start of a CheckpointPages payload into <paramref name="into"/>; returns its length. Runs follow with <see cref="WriteRun"/>.</summary>
    public static int WritePartHeader(Span<byte> into, int index, int part)
    {
        int n = ByteWriter.VarU(into, (ulong)index);
        return n + ByteWriter.VarU(into[n..], (ulong)part);
    }

    /// <summary>Writes one run of pages into <paramref name="into"/>; returns its length.</summary>
    public static int WriteRun(Span<byte> into, RemotePtr address, ReadOnlySpan<byte> data)
    {
        int n = ByteWriter.VarU(into, address.Value);
        n += ByteWriter.VarU(into[n..], (ulong)data.Length);
        data.CopyTo(into[n..]);
        return n + data.Length;
    }

    /// <summary>Decodes a CheckpointPages payload: its checkpoint, its part number and its runs (slices of <paramref name="payload"/>).</summary>
    public static (int Index, int Part, List<SavedPage> Runs) ReadPart(ReadOnlyMemory<byte> payload, string what)
    {
        var r = new ByteReader(payload, what);
        int index = r.VarInt(int.MaxValue);
        int part = r.VarInt(MaxParts);
        var runs = new List<SavedPage>();
        while (!r.AtEnd)
        {
            var address = new RemotePtr(r.VarU());
            var data = r.BytesSlice();
            if (address.Value % AddressSpace.PageSize != 0 || data.Length % AddressSpace.PageSize != 0 || data.IsEmpty)
            {
                throw r.Bad($"a page run at {address} of {data.Length} bytes, not whole pages");
            }
            runs.Add(new SavedPage(address, data));
        }
        return (index, part, runs);
    }
}
