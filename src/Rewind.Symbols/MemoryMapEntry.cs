using System.Globalization;

namespace Rewind.Symbols;

/// <summary>One mapping of a process, as a line of /proc/PID/maps describes it.</summary>
public sealed record MemoryMapEntry(RemotePtr Start, RemotePtr End, ulong FileOffset, string Permissions, string Path)
{
    public bool IsExecutable => Permissions.Contains('x', StringComparison.Ordinal);

    /// <summary>Parses "start-end perms offset dev inode path" (proc(5)).</summary>
    public static MemoryMapEntry Parse(string line)
    {
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5)
            throw new FormatException($"not a maps line: {line}");
        var range = parts[0].Split('-');
        if (range.Length != 2)
            throw new FormatException($"not a maps line: {line}");
        return new MemoryMapEntry(
            new RemotePtr(ulong.Parse(range[0], NumberStyles.HexNumber)),
            new RemotePtr(ulong.Parse(range[1], NumberStyles.HexNumber)),
            ulong.Parse(parts[2], NumberStyles.HexNumber),
            parts[1],
            parts.Length > 5 ? parts[5].Trim() : "");
    }
}
