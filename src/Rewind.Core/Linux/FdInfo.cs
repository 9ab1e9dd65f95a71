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
