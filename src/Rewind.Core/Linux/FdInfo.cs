using System.Globalization;

namespace Rewind.Linux;

/// <summary>
/// A descriptor's /proc/PID/fdinfo/FD (proc(5)): "name:\tvalue" lines, pos and flags first (flags
/// in octal: the open flags, the access mode in the low two bits), then lines of the object's own.
/// </summary>
internal static class FdInfo
{
    /// <summary>The descriptors process <paramref name="pid"/> has open, in order (its /proc/PID/fd); IOException once it has ended.</summary>
    public static List<int> Descriptors(int pid) =>
        [.. Directory.GetFiles($"/proc/{pid}/fd").Select(f => int.Parse(Path.GetFileName(f), CultureInfo.InvariantCulture)).Order()];

    /// <summary>
    /// Whether descriptor <paramref name="fd"/> of process <paramref name="pid"/> is open for both
    /// reading and writing, told by one lstat(2) of its /proc/PID/fd link: the kernel gives the link
    /// the owner's read bit for a descriptor open for reading, and the write bit for one open for
    /// writing (fs/proc/fd.c), where reading its fdinfo costs an open, a read, a close and a parse.
    /// IOException when it is closed.
    /// </summary>
    public static bool IsOpenForReadingAndWriting(int pid, int fd)
    {
        const uint OwnerRead = 0x100, OwnerWrite = 0x80;
        string link = $"/proc/{pid}/fd/{fd}";
        var status = Interop.LinkStat(link) ?? throw new IOException($"{link} is not open");
        return (status.Mode & (OwnerRead | OwnerWrite)) == (OwnerRead | OwnerWrite);
    }

    /// <summary>The lines of descriptor <paramref name="fd"/> of process <paramref name="pid"/>; IOException when it is closed.</summary>
    public static string[] Read(int pid, int fd) => File.ReadAllLines($"/proc/{pid}/fdinfo/{fd}");

    /// <summary>The value of field <paramref name="name"/>, trimmed; null when there is none.</summary>
    public static string? Field(IEnumerable<string> lines, string name) =>
        lines.FirstOrDefault(l => l.Length > name.Length && l[name.Length] == ':' && l.StartsWith(name, StringComparison.Ordinal))?[(name.Length + 1)..].Trim();

    /// <summary>The file position.</summary>
    public static long Position(IEnumerable<string> lines) => long.Parse(Field(lines, "pos")!, CultureInfo.InvariantCulture);

    /// <summary>The open flags (O_CLOEXEC included).</summary>
    public static int Flags(IEnumerable<string> lines) => Convert.ToInt32(Field(lines, "flags"), 8);
}
