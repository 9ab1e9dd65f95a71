using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli;

/// <summary>A file the program opened (open, openat, openat2, creat that succeeded), how, and how many times.</summary>
/// <param name="Access">"read", "write" or "read/write": the union of its opens' access modes.</param>
internal sealed record OpenedFile(string Path, string Access, int Opens)
{
    private const int O_ACCMODE = 3, O_WRONLY = 1, O_RDWR = 2, O_PATH = 0x200000;

    /// <summary>
    /// Every file the program opened, in the order of their first open; null for a trace made
    /// before format 3, which holds no path strings. A path relative to a directory fd is as given.
    /// </summary>
    public static IReadOnlyList<OpenedFile>? Of(TraceFile trace)
    {
        if (trace.Header.FormatVersion < 3)
        {
            return null;
        }
        var files = new Dictionary<string, (bool Read, bool Write, int Opens)>(StringComparer.Ordinal);
        foreach (var (_, e) in trace.Events())
        {
            if (e is SyscallEvent { Result: >= 0, Paths: [var path, ..] } s && FlagsOf(s) is { } flags && (flags & O_PATH) == 0)
            {
                files.TryGetValue(path, out var seen);
                int access = (int)flags & O_ACCMODE;
                files[path] = (seen.Read || access != O_WRONLY, seen.Write || access is O_WRONLY or O_RDWR, seen.Opens + 1);
            }
        }
        return [.. files.Select(f => new OpenedFile(f.Key, f.Value switch { (true, true, _) => "read/write", (true, _, _) => "read", _ => "write" }, f.Value.Opens))];
    }

    /// <summary>The open flags of an open-like syscall; null for another. creat is open with O_CREAT|O_WRONLY|O_TRUNC.</summary>
    private static ulong? FlagsOf(SyscallEvent s) => s.Number switch
    {
        Nr.open => s.Args[1],
        Nr.openat => s.Args[2],
        85 => O_WRONLY,
        // openat2's flags are the first member of its struct open_how, which the trace does not hold: taken as a read.
        437 => 0,
        _ => null,
    };
}
