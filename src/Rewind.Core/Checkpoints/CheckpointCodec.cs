using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>Encodes a checkpoint as a Checkpoint chunk payload (docs/trace-format.md).</summary>
public static class CheckpointCodec
{
    private const int MaxRegions = 1 << 16, MaxRuns = 1 << 24, MaxSignals = 64;

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
            w.Byte((byte)((int)r.Protection | (r.Shared ? 8 : 0) | (r.File != null ? 16 : 0)));
            w.String(r.Name);
            if (r.File is { } f)
            {
                w.String(f.Path);
                w.Raw(f.Blob.ToBytes());
                w.VarU(f.FileOffset);
                w.VarU(f.FileSize);
            }
            w.VarU((ulong)r.Pages.Count);
            foreach (var p in r.Pages)
            {
                w.VarU(p.Address.Value);
                w.Bytes(p.Data);
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
            FileMapping? file = (bits & 16) != 0 ? new FileMapping(r.String(), BlobId.FromBytes(r.Raw(32)), r.VarU(), r.VarU()) : null;
            var pages = new SavedPage[r.VarInt(Math.Min(MaxRuns, r.Remaining / 2))]; // a page takes 2 bytes at least
            for (int j = 0; j < pages.Length; j++)
            {
                var address = new RemotePtr(r.VarU());
                pages[j] = new SavedPage(address, r.Bytes());
            }
            if (end <= start)
            {
                throw r.Bad($"a region that ends before it starts ({start}-{end})");
            }
            regions[i] = new SavedRegion(start, end, (Protection)(bits & 7), (bits & 8) != 0, name, file, pages);
        }
        return new CheckpointImage(index, eventIndex, time, regs, xstate, blocked, actions, programBreak, regions);
    }
}
