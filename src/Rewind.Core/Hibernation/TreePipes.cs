using Microsoft.Win32.SafeHandles;
using Rewind.Linux;

namespace Rewind.Hibernation;

/// <summary>
/// The pipes between the processes of a moment resumed together (a recording's checkpoint of
/// several processes, docs/hibernation.md): a pipe the processes hold ends of (a parent writing
/// to its child, a pipe made before a fork that both still hold) must be one pipe again, not one
/// per process. Each is made once, here in rewind, with its capacity and the bytes that waited in
/// it; every process is handed our ends (<see cref="Tracee.InjectDescriptor"/>) and opens each
/// again through its own /proc/self/fd, which opens the same pipe with a file description of its
/// own (a pipe's inode is opened as a FIFO's, fifo_open: our ends held, neither side waits). Ours
/// are closed once every process holds its own.
/// </summary>
internal sealed class TreePipes : IDisposable
{
    private const int F_SETPIPE_SZ = 1031;
    private readonly Dictionary<ulong, (SafeFileHandle Read, SafeFileHandle Write)> _pipes = [];

    private TreePipes()
    {
    }

    /// <summary>
    /// The pipes held by more than one of <paramref name="processes"/>, with a read end and a write
    /// end among them, by their saved inode: whatever each process alone made of its ends (a pipe it
    /// held whole, a pipe "to another process", a standard stream), they are these.
    /// </summary>
    public static IReadOnlySet<ulong> Shared(IEnumerable<ProcessResources> processes)
    {
        var ends = processes.SelectMany(p => p.Descriptors.Where(IsPipeEnd).Select(d => (p.Pid, d))).ToList();
        return ends.GroupBy(e => e.d.PipeId)
            .Where(g => g.Select(e => e.Pid).Distinct().Count() > 1 && g.Any(e => Reads(e.d)) && g.Any(e => e.d.Writes))
            .Select(g => g.Key).ToHashSet();
    }

    /// <summary>Makes the pipes <see cref="Shared"/> names among <paramref name="processes"/>, each with the capacity and bytes its saved read end had.</summary>
    public static TreePipes Make(IReadOnlyList<ProcessResources> processes)
    {
        var pipes = new TreePipes();
        try
        {
            var shared = Shared(processes);
            var ends = processes.SelectMany(p => p.Descriptors).Where(d => IsPipeEnd(d) && shared.Contains(d.PipeId)).ToList();
            foreach (ulong id in shared)
            {
                // Every holder of a read end saw the same bytes waiting; the capacity is the pipe's.
                var reader = ends.Where(d => d.PipeId == id && Reads(d)).OrderByDescending(d => d.Queued?.Length ?? 0).First();
                pipes._pipes[id] = Pipe(reader);
            }
            return pipes;
        }
        catch
        {
            pipes.Dispose();
            throw;
        }
    }

    /// <summary>Our end of one of these pipes that a process opens <paramref name="d"/> again on; null when <paramref name="d"/> is none.</summary>
    public SafeFileHandle? EndOf(SavedDescriptor d) =>
        IsPipeEnd(d) && _pipes.TryGetValue(d.PipeId, out var pipe) ? Reads(d) ? pipe.Read : pipe.Write : null;

    /// <summary>An end of an anonymous pipe (not a FIFO, which is opened again by its path), whatever its process alone made of it.</summary>
    private static bool IsPipeEnd(SavedDescriptor d) => d.PipeId != 0 && d.Path.StartsWith("pipe:", StringComparison.Ordinal);

    private static bool Reads(SavedDescriptor d) => (d.Flags & SavedDescriptor.O_ACCMODE) != SavedDescriptor.O_WRONLY;

    private static unsafe (SafeFileHandle Read, SafeFileHandle Write) Pipe(SavedDescriptor reader)
    {
        int* ends = stackalloc int[2];
        Interop.Check((int)Interop.syscall(Interop.SYS_pipe2, (long)ends, Interop.O_CLOEXEC | Interop.O_NONBLOCK), "pipe2");
        var pipe = (Read: new SafeFileHandle(ends[0], ownsHandle: true), Write: new SafeFileHandle(ends[1], ownsHandle: true));
        if (reader.PipeSize > 0)
        {
            _ = Interop.syscall(Interop.SYS_fcntl, ends[1], F_SETPIPE_SZ, reader.PipeSize);
        }
        if (reader.Queued is { Length: > 0 } queued)
        {
            fixed (byte* bytes = queued)
            {
                // Nothing reads it yet, and it does not block: what does not fit now never will.
                long written = Interop.syscall(Interop.SYS_write, ends[1], (long)bytes, queued.Length);
                if (written != queued.Length)
                {
                    pipe.Read.Dispose();
                    pipe.Write.Dispose();
                    throw new RewindException($"the {queued.Length} bytes that waited in {reader.Path} do not fit in a pipe here (its capacity stays below {reader.PipeSize} bytes without CAP_SYS_RESOURCE)");
                }
            }
        }
        return pipe;
    }

    public void Dispose()
    {
        foreach (var (read, write) in _pipes.Values)
        {
            read.Dispose();
            write.Dispose();
        }
        _pipes.Clear();
    }
}
