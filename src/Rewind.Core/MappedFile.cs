using Rewind.Linux;

namespace Rewind;

/// <summary>
/// The file behind a file mapping of a process, as a path that opens it. /proc/PID/map_files opens
/// the very file mapped, even when its name was deleted or replaced since, but only for a tracer
/// with CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN (proc(5)); a recorder run as a user falls back to
/// the mapping's name, where that is still the same file (its device and inode).
/// </summary>
public static class MappedFile
{
    /// <summary>A path that opens the file mapped at <paramref name="region"/> of process <paramref name="pid"/>; null where neither way has it.</summary>
    public static string? PathOf(int pid, MemoryRegion region)
    {
        string mapFiles = $"/proc/{pid}/map_files/{region.Start.Value:x}-{region.End.Value:x}";
        try
        {
            File.OpenHandle(mapFiles).Dispose();
            return mapFiles;
        }
        catch (UnauthorizedAccessException)
        {
            return Interop.Stat(region.Name) is { } named && named.Device == region.Device && named.Inode == region.Inode ? region.Name : null;
        }
    }

    /// <summary><see cref="PathOf"/>, or a one-line error naming what a user's recorder cannot read.</summary>
    public static string RequirePathOf(int pid, MemoryRegion region) => PathOf(pid, region)
        ?? throw new RewindException($"cannot read {region.Name}, mapped at {region.Start} by process {pid}: its name no longer opens it, and /proc/{pid}/map_files needs CAP_CHECKPOINT_RESTORE (run rewind as root)");
}
