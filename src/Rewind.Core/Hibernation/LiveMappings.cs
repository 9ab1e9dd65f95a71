using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// A resumed process's shared mappings: a file that is still there is mapped again, shared, so
/// that what the process writes reaches it as before and what the file holds now is what it
/// reads. Shared memory with no file left behind it (shared anonymous memory, a deleted file) is
/// made again as shared anonymous memory holding the saved pages.
/// </summary>
internal sealed class LiveMappings : ISharedMappings
{
    private const int O_RDONLY = 0, O_RDWR = 2;
    private readonly List<SavedRegion> _anonymous = [];

    public void MapRegion(Tracee t, SavedRegion region, RemotePtr scratch)
    {
        ulong protection = (ulong)region.Protection;
        if (OnFile(region))
        {
            int fd = t.InjectOpen(region.Name, region.Protection.HasFlag(Protection.Write) ? O_RDWR : O_RDONLY, scratch);
            t.InjectSyscallChecked($"mmap({region.Name})", Nr.mmap, region.Start.Value, region.Length, protection,
                Interop.MAP_SHARED | Interop.MAP_FIXED, (ulong)fd, region.SharedFile!.Value.Offset);
            t.InjectSyscallChecked("close", Nr.close, (ulong)fd);
            return;
        }
        // Writable until its pages are in: ptrace may not write a shared mapping that is read-only.
        t.InjectSyscallChecked("mmap(shared)", Nr.mmap, region.Start.Value, region.Length, protection | Interop.PROT_WRITE,
            Interop.MAP_SHARED | Interop.MAP_ANONYMOUS | Interop.MAP_FIXED, ulong.MaxValue, 0);
        _anonymous.Add(region);
    }

    /// <summary>A file mapping already shows the file's bytes; only memory made again takes the saved pages.</summary>
    public void Write(Tracee t, SavedRegion region, SavedPage page)
    {
        if (!OnFile(region))
        {
            t.Write(page.Address, page.Data.Span);
        }
    }

    /// <summary>Gives the memory made again its own protection, once its pages are written.</summary>
    public void Protect(Tracee t)
    {
        foreach (var region in _anonymous.Where(r => !r.Protection.HasFlag(Protection.Write)))
        {
            t.InjectSyscallChecked("mprotect", Nr.mprotect, region.Start.Value, region.Length, (ulong)region.Protection);
        }
    }

    /// <summary>Whether the region maps a file that still exists under its name.</summary>
    private static bool OnFile(SavedRegion region) =>
        region.Name.StartsWith('/') && !region.Name.EndsWith(" (deleted)", StringComparison.Ordinal) && File.Exists(region.Name);
}
