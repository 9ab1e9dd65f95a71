using Rewind.Recording;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Checkpoints;

/// <summary>
/// Reads a stopped process into a <see cref="CheckpointImage"/>. Pages equal to their base (the
/// mapped file's bytes, or zeros for anonymous memory) are not stored.
/// </summary>
internal static class CheckpointCapture
{
    private const int PageSize = AddressSpace.PageSize;

    public static CheckpointImage Capture(Tracee t, BlobStore blobs, int index, long eventIndex, long time, ulong? programBreak)
    {
        var regs = t.GetRegisters();
        var status = ProcStatus.Read(t.Pid);
        var actions = SignalActions(t, status);
        var regions = AddressSpace.Read(t.Pid).Regions
            .Where(r => !r.IsKernelProvided)
            .Select(r => Save(t, blobs, r))
            .ToList();
        return new CheckpointImage(index, eventIndex, time, regs, t.GetExtendedState(), status.Blocked, actions, programBreak ?? status.StartBrk, regions);
    }

    internal static List<SignalAction> SignalActions(Tracee t, ProcStatus status)
    {
        var actions = new List<SignalAction>();
        for (int sig = 1; sig <= 64; sig++)
        {
            ulong bit = 1UL << (sig - 1);
            if ((status.Ignored & bit) != 0)
            {
                actions.Add(new SignalAction(sig, 1, 0, 0, 0));
            }
            else if ((status.Caught & bit) != 0)
            {
                actions.Add(QueryAction(t, sig));
            }
        }
        return actions;
    }

    /// <summary>rt_sigaction(sig, NULL, &amp;old) run in the tracee, into scratch space below its stack.</summary>
    private static SignalAction QueryAction(Tracee t, int sig)
    {
        var scratch = new RemotePtr(AddressSpace.PageDown(t.GetRegisters().Rsp - 4096));
        byte[] saved = t.ReadBytes(scratch, 32);
        t.InjectSyscallChecked("rt_sigaction", Nr.rt_sigaction, (ulong)sig, 0, scratch.Value, 8);
        byte[] act = t.ReadBytes(scratch, 32);
        t.Write(scratch, saved);
        return new SignalAction(sig, BitConverter.ToUInt64(act, 0), BitConverter.ToUInt64(act, 8), BitConverter.ToUInt64(act, 16), BitConverter.ToUInt64(act, 24));
    }

    private static SavedRegion Save(Tracee t, BlobStore blobs, MemoryRegion region)
    {
        FileMapping? file = null;
        Func<ulong, byte[], int>? baseBytes = null;
        using Microsoft.Win32.SafeHandles.SafeFileHandle? handle = region.IsFile && !region.Shared
            ? File.OpenHandle($"/proc/{t.Pid}/map_files/{region.Start.Value:x}-{region.End.Value:x}")
            : null;
        if (handle != null)
        {
            // map_files opens the very file mapped there, even when its name was deleted or replaced.
            string open = $"/proc/{t.Pid}/map_files/{region.Start.Value:x}-{region.End.Value:x}";
            string name = region.Name.EndsWith(" (deleted)", StringComparison.Ordinal) ? region.Name[..^10] : region.Name;
            var (id, size) = blobs.Add(open, name);
            file = new FileMapping(name, id, region.FileOffset, (ulong)size);
            baseBytes = (offset, buffer) =>
            {
                long at = (long)(region.FileOffset + offset);
                int n = at < size ? RandomAccess.Read(handle, buffer, at) : 0;
                buffer.AsSpan(n).Clear();
                return n;
            };
        }
        var pages = new List<SavedPage>();
        var memory = new byte[1 << 20];
        var expected = new byte[memory.Length];
        for (ulong offset = 0; offset < region.Length; offset += (ulong)memory.Length)
        {
            int length = (int)Math.Min((ulong)memory.Length, region.Length - offset);
            var chunk = memory.AsSpan(0, length);
            int read = t.Read(region.Start + offset, chunk);
            chunk[read..].Clear();
            if (baseBytes != null)
            {
                baseBytes(offset, expected);
            }
            else
            {
                Array.Clear(expected);
            }
            AddDifferingRuns(pages, region.Start + offset, chunk, expected.AsSpan(0, length));
        }
        return new SavedRegion(region.Start, region.End, region.Protection, region.Shared, region.Name, file, pages);
    }

    /// <summary>Adds runs of consecutive pages of <paramref name="actual"/> that differ from <paramref name="expected"/>.</summary>
    private static void AddDifferingRuns(List<SavedPage> pages, RemotePtr start, ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        int runStart = -1;
        for (int at = 0; at <= actual.Length; at += PageSize)
        {
            bool differs = at < actual.Length && !actual.Slice(at, PageSize).SequenceEqual(expected.Slice(at, PageSize));
            if (differs && runStart < 0)
            {
                runStart = at;
            }
            else if (!differs && runStart >= 0)
            {
                pages.Add(new SavedPage(start + (ulong)runStart, actual[runStart..at].ToArray()));
                runStart = -1;
            }
        }
    }
}
