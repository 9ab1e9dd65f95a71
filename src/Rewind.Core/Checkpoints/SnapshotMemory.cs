using Microsoft.Win32.SafeHandles;
using Rewind.Linux;

namespace Rewind.Checkpoints;

/// <summary>
/// Reads a stopped snapshot process's memory and page map from any thread: /proc/PID/mem and
/// /proc/PID/pagemap need no ptrace stop of the caller's own, and pread is thread-safe. Not
/// process_vm_readv: its pin copies every page the snapshot still shares with the program
/// (docs/decisions.md, "Checkpoint memory moves past the page cache, and never through a pin").
/// </summary>
internal sealed class SnapshotMemory : IDisposable
{
    /// <summary>pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst); FilePage: a page of a file or of shared anonymous memory, not a private copy.</summary>
    public const ulong Present = 1UL << 63, Swapped = 1UL << 62, FilePage = 1UL << 61, FrameMask = (1UL << 55) - 1;

    /// <summary>Whether the page map <paramref name="entry"/> is a page of a private mapping that the process wrote (a private copy, anonymous in the page map, or swapped out).</summary>
    public static bool IsOwnCopy(ulong entry) => (entry & Swapped) != 0 || (entry & (Present | FilePage)) == Present;

    private readonly SafeFileHandle _mem;
    private readonly SafeFileHandle _pagemap;

    public SnapshotMemory(int pid)
    {
        Pid = pid;
        _mem = File.OpenHandle($"/proc/{pid}/mem");
        _pagemap = File.OpenHandle($"/proc/{pid}/pagemap");
    }

    public int Pid { get; }

    /// <summary>Reads exactly buffer.Length bytes at <paramref name="address"/>, or throws.</summary>
    public void Read(RemotePtr address, Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            // FOLL_FORCE: PROT_NONE pages are read too.
            int n = RandomAccess.Read(_mem, buffer[done..], (long)(address.Value + (ulong)done));
            if (n <= 0)
            {
                throw new RewindException($"cannot read the snapshot {Pid}'s memory at {address + (ulong)done}");
            }
            done += n;
        }
    }

    /// <summary>The page map entries of the pages from <paramref name="address"/> on, one u64 per page.</summary>
    public void ReadPageMap(RemotePtr address, Span<ulong> entries)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(entries);
        long offset = (long)(address.Value / AddressSpace.PageSize * 8);
        int done = 0;
        while (done < bytes.Length)
        {
            int n = RandomAccess.Read(_pagemap, bytes[done..], offset + done);
            if (n <= 0)
            {
                throw new RewindException($"cannot read the page map of the snapshot {Pid} at {address}");
            }
            done += n;
        }
    }

    public void Dispose()
    {
        _mem.Dispose();
        _pagemap.Dispose();
    }
}
