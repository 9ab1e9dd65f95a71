namespace Rewind;

/// <summary>Protection bits of a mapping, as mmap(2) takes them.</summary>
[Flags]
public enum Protection
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}

/// <summary>One line of /proc/PID/maps; <paramref name="Device"/> is the file's st_dev (0 for anonymous memory).</summary>
public sealed record MemoryRegion(RemotePtr Start, RemotePtr End, Protection Protection, bool Shared, ulong FileOffset, ulong Inode, string Name, ulong Device = 0)
{
    public ulong Length => End - Start;

    /// <summary>Mapped from a file (not anonymous memory and not a kernel-provided region).</summary>
    public bool IsFile => (Inode != 0 || IsSysVSegment) && Name.StartsWith('/');

    /// <summary>
    /// An attach of a System V shared memory segment: the kernel maps the segment's file on its
    /// internal shmem mount, named "SYSV" and the key in 8 hex digits, with the segment's id as its
    /// inode number (ipc/shm.c, newseg), which is 0 for the first segment of an IPC namespace.
    /// </summary>
    public bool IsSysVSegment => Shared && NamesSysVSegment(Name);

    /// <summary>Whether <paramref name="name"/>, a mapping's name in /proc/PID/maps, is a System V segment's.</summary>
    public static bool NamesSysVSegment(string name) =>
        name.StartsWith("/SYSV", StringComparison.Ordinal) && name.EndsWith(" (deleted)", StringComparison.Ordinal);

    /// <summary>Regions the kernel provides to every process: never saved, never restored.</summary>
    public bool IsKernelProvided => Name is "[vdso]" or "[vvar]" or "[vvar_vclock]" or "[vsyscall]" || Name.StartsWith("[uprobes", StringComparison.Ordinal);

    /// <summary>
    /// What a recording's checkpoints save: all but the kernel's regions, and the vDSO, whose
    /// entries the recorder rewrote into syscalls (Recording/VdsoStandIn.cs): replay must have
    /// those bytes at that place, since the program and glibc call into them.
    /// </summary>
    public bool IsRecorded => !IsKernelProvided || Name == "[vdso]";

    public bool IsStack => Name == "[stack]";

    public bool Contains(RemotePtr p) => p >= Start && p < End;

    public string ProtectionText => $"{(Protection.HasFlag(Protection.Read) ? 'r' : '-')}{(Protection.HasFlag(Protection.Write) ? 'w' : '-')}{(Protection.HasFlag(Protection.Execute) ? 'x' : '-')}{(Shared ? 's' : 'p')}";

    public override string ToString() => $"{Start.Value:x}-{End.Value:x} {ProtectionText} {FileOffset:x8} {Name}";

    /// <summary>Parses a maps line: <c>start-end perms offset dev inode [name]</c>.</summary>
    public static MemoryRegion Parse(string line)
    {
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5)
        {
            throw new RewindException($"unexpected /proc maps line: {line}");
        }
        var range = parts[0].Split('-');
        string perms = parts[1];
        var prot = (perms[0] == 'r' ? Protection.Read : 0) | (perms[1] == 'w' ? Protection.Write : 0) | (perms[2] == 'x' ? Protection.Execute : 0);
        return new MemoryRegion(
            new RemotePtr(Convert.ToUInt64(range[0], 16)),
            new RemotePtr(Convert.ToUInt64(range[1], 16)),
            prot,
            perms[3] == 's',
            Convert.ToUInt64(parts[2], 16),
            ulong.Parse(parts[4]),
            parts.Length > 5 ? parts[5].Trim() : "",
            Makedev(parts[3]));
    }

    /// <summary>A "major:minor" of maps (hex) as a dev_t, as stat(2) gives it.</summary>
    private static ulong Makedev(string device)
    {
        var numbers = device.Split(':');
        return Makedev(Convert.ToUInt64(numbers[0], 16), Convert.ToUInt64(numbers[1], 16));
    }

    /// <summary>A device's major and minor numbers as a dev_t, as stat(2) gives it (glibc's gnu_dev_makedev).</summary>
    public static ulong Makedev(ulong major, ulong minor) =>
        ((major & 0xfff) << 8) | ((major & 0xfffff000) << 32) | (minor & 0xff) | ((minor & 0xffffff00) << 12);
}
