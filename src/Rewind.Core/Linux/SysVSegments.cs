namespace Rewind.Linux;

/// <summary>The System V shared memory segments of the caller's IPC namespace, as /proc/sysvipc/shm lists them (proc(5)).</summary>
internal static class SysVSegments
{
    /// <summary>
    /// Each segment's id and its number of attaches, shm_nattch: the kernel counts one for every
    /// mapping of it in every process (ipc/shm.c, shm_open), so a fork or a split mapping adds one.
    /// </summary>
    public static IEnumerable<(ulong Id, long Attaches)> Attaches() =>
        File.ReadLines("/proc/sysvipc/shm").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 6)
            .Select(fields => (ulong.Parse(fields[1]), long.Parse(fields[6])));
}
