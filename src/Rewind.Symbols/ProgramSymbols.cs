using Rewind.Checkpoints;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Symbols;

/// <summary>
/// The debug information of a recorded process, read from the trace alone: the modules are the
/// file mappings of the last image it exec'd (its checkpoint) and of its later mmaps, and their
/// bytes are the trace's copies, so a trace debugs on a machine that never had the program.
/// Separate debug files are looked up under /usr/lib/debug by build-id when present.
/// </summary>
public static class ProgramSymbols
{
    /// <summary>The symbols of process <paramref name="process"/> (a recorded pid; the first process by default).</summary>
    public static SymbolTable Load(TraceFile trace, int? process = null)
    {
        var image = FileMappings(trace, process: process);
        // Mapped data files (ld.so.cache, a database) are no modules: only ELF files are loaded,
        // of those the trace can give whole (a file past TraceFile.LargeBlob is read by range).
        var files = new Dictionary<string, byte[]>();
        foreach (var (entry, file) in image)
        {
            if (!files.ContainsKey(entry.Path) && file.FileSize <= TraceFile.LargeBlob && trace.Blob(file.Blob) is [0x7f, (byte)'E', (byte)'L', (byte)'F', ..] elf)
            {
                files[entry.Path] = elf;
            }
        }
        return SymbolTable.Load(image.Select(i => i.Entry).Where(e => files.ContainsKey(e.Path)),
            path => files.TryGetValue(path, out var bytes) ? new MemoryStream(bytes, writable: false) : null);
    }

    /// <summary>
    /// The files process <paramref name="process"/> (the first by default) mapped before event
    /// <paramref name="before"/> (all of them by default), in the order it mapped them, since its
    /// last exec before then, with the file each maps (its blob and size); a process forked since its last exec
    /// starts with its parent's. A mapping later unmapped is still listed: the caller that needs the
    /// present asks the address space what is mapped there now.
    /// </summary>
    public static List<(MemoryMapEntry Entry, FileMapping File)> FileMappings(TraceFile trace, long before = long.MaxValue, int? process = null)
    {
        int wanted = process ?? trace.ProcessId.Value;
        var images = new Dictionary<int, List<(MemoryMapEntry Entry, FileMapping File)>> { [trace.ProcessId.Value] = FileMappings(trace.CheckpointLayout(0)) };
        var map = new ProcessMap(trace.ProcessId);
        foreach (var (_, e) in trace.Events().TakeWhile(e => e.Index < before))
        {
            if (map.Follow(e) is not { } pid)
            {
                continue;
            }
            switch (e)
            {
                case NewProcessEvent created:
                    images[created.Pid] = [.. images[pid]];
                    break;
                case ExecEvent exec:
                    images[pid] = FileMappings(trace.CheckpointLayout(exec.Checkpoint));
                    break;
                case SyscallEvent { Number: Nr.mmap, Mapping: { } m } s:
                    var start = new RemotePtr((ulong)s.Result);
                    images[pid].Add((new MemoryMapEntry(start, start + AddressSpace.PageUp(s.Args[1]), m.FileOffset, Permissions((Protection)(int)s.Args[2]), m.Path), m));
                    break;
            }
        }
        return images.GetValueOrDefault(wanted) ?? [];
    }

    /// <summary>The file-backed regions of an image, with each one's file.</summary>
    private static List<(MemoryMapEntry Entry, FileMapping File)> FileMappings(CheckpointImage image) =>
        [.. image.Regions.Where(r => r.File != null)
            .Select(r => (new MemoryMapEntry(r.Start, r.End, r.File!.FileOffset, Permissions(r.Protection), r.File.Path), r.File))];

    private static string Permissions(Protection p) =>
        $"{(p.HasFlag(Protection.Read) ? 'r' : '-')}{(p.HasFlag(Protection.Write) ? 'w' : '-')}{(p.HasFlag(Protection.Execute) ? 'x' : '-')}p";
}
