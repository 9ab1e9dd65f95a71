using Microsoft.Win32.SafeHandles;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind;

/// <summary>
/// The program's own stdout and stderr: the open file descriptions it was started with, whatever
/// descriptor reaches them later (a dup, an fcntl copy, a child's inherited one) and whatever has
/// been put on descriptors 1 and 2 since (a redirect, /dev/null). A write is output when the
/// kernel's kcmp finds its descriptor open on one of them; the recorder holds copies of both,
/// taken from the program with pidfd_getfd before it runs. A later opening of the file a stream
/// is on (/dev/stdout, /proc/self/fd/2, a log that is the file stdout was sent to) is a
/// description of that stream too, from the open on (<see cref="Opened"/>): its bytes land where
/// the stream's do.
/// </summary>
internal sealed class StandardStreams : IDisposable
{
    private const int KCMP_FILE = 0;

    /// <summary>How many descriptions a stream gathers before those no process holds any more are dropped.</summary>
    private const int PruneFloor = 16;

    // Per stream (1, 2): the descriptions its bytes go through, the first the one it was started with.
    private readonly List<SafeFileHandle>[] _descriptions;

    // Per stream: the file it is on, which an opening is compared with; null for none, and for a
    // file whose other openings are not the stream (/dev/null, a socket).
    private readonly (ulong Device, ulong Inode)?[] _files;

    private readonly int[] _pruneAt = [PruneFloor, PruneFloor, PruneFloor];

    private StandardStreams(SafeFileHandle?[] copies)
    {
        _descriptions = [.. copies.Select(c => c is null ? new List<SafeFileHandle>() : [c])];
        _files = [.. copies.Select(c => c is null ? null : IdentityOf($"/proc/self/fd/{c.DangerousGetHandle()}"))];
    }

    /// <summary>Takes copies of descriptors 1 and 2 of process <paramref name="pid"/>, as they are now.</summary>
    public static StandardStreams Of(int pid)
    {
        using var pidfd = PidFd.Open(pid);
        // A stream the program was started without stays null: nothing is its output.
        return new StandardStreams([null, pidfd.TryCopy(1), pidfd.TryCopy(2)]);
    }

    /// <summary>
    /// After a syscall of <paramref name="t"/> that returned <paramref name="result"/>: an open
    /// of the file a stream is on makes the description it returned that stream's too.
    /// <paramref name="processes"/> are the recorded processes, whose descriptors keep such
    /// descriptions in use.
    /// </summary>
    public void Opened(Tracee t, int number, long result, IEnumerable<int> processes)
    {
        if (number is not (Nr.open or Nr.openat or Nr.openat2 or Nr.creat) || result < 0
            || IdentityOf($"/proc/{t.Pid}/fd/{result}") is not { } file)
        {
            return;
        }
        for (int stream = 1; stream <= 2; stream++)
        {
            if (_files[stream] != file)
            {
                continue;
            }
            using var pidfd = PidFd.TryOpen(t.Tgid);
            if (pidfd?.TryCopy((int)result) is { } copy)
            {
                _descriptions[stream].Add(copy);
                if (_descriptions[stream].Count > _pruneAt[stream])
                {
                    Prune(stream, processes);
                }
            }
        }
    }

    /// <summary>The stream (1 or 2) a syscall of thread <paramref name="tid"/> about to run sends bytes to; null for none.</summary>
    public int? StreamWritten(int tid, int number, ulong[] args) => OutputFd(number, args) is { } fd ? StreamOf(tid, fd) : null;

    /// <summary>
    /// What a completed write-like syscall of thread <paramref name="t"/> put on
    /// <paramref name="stream"/> (found at its entry by <see cref="StreamWritten"/>), or null when it wrote nothing.
    /// </summary>
    public static StandardStream? Written(Tracee t, int stream, int number, ulong[] args, long result)
    {
        if (result <= 0)
        {
            return null;
        }
        var data = SentBytes.Bytes(t, number, args, result) ?? Copied(t, number, args, result);
        return data is null ? null : new StandardStream(stream, data);
    }

    /// <summary>The descriptor a syscall that sends bytes sends them to.</summary>
    private static int? OutputFd(int number, ulong[] args) => number switch
    {
        Nr.write or Nr.pwrite64 or Nr.writev or Nr.pwritev or Nr.pwritev2 or Nr.sendto or Nr.sendmsg or Nr.sendfile => (int)args[0],
        Nr.splice or Nr.copy_file_range => (int)args[2],
        _ => null,
    };

    /// <summary>
    /// The stream (1 or 2) that thread <paramref name="tid"/>'s descriptor <paramref name="fd"/> is
    /// open on; a descriptor 1 or 2 on a file both streams share keeps its own number.
    /// </summary>
    private int? StreamOf(int tid, int fd)
    {
        bool stdout = Same(1, tid, fd), stderr = Same(2, tid, fd);
        return (stdout, stderr) switch
        {
            (true, true) => fd == 2 ? 2 : 1,
            (true, false) => 1,
            (false, true) => 2,
            _ => null,
        };
    }

    private bool Same(int stream, int tid, int fd) => fd >= 0 && _descriptions[stream].Any(copy => Holds(tid, fd, copy));

    /// <summary>Whether descriptor <paramref name="fd"/> of <paramref name="tid"/> is open on the description <paramref name="copy"/> is.</summary>
    private static bool Holds(int tid, int fd, SafeFileHandle copy) =>
        Interop.syscall(Interop.SYS_kcmp, Environment.ProcessId, tid, KCMP_FILE, copy.DangerousGetHandle(), fd) == 0;

    /// <summary>
    /// The identity of the file <paramref name="path"/> is (a descriptor's link in /proc) for
    /// telling its openings: a regular file, a pipe or FIFO, a terminal; null for anything else.
    /// </summary>
    private static (ulong Device, ulong Inode)? IdentityOf(string path) =>
        Interop.Stat(path) is { } file && (file.IsRegular || file.IsPipe || file.IsTerminal) ? (file.Device, file.Inode) : null;

    /// <summary>
    /// Drops the descriptions of <paramref name="stream"/>, but the first, that no descriptor of
    /// <paramref name="processes"/> holds any more (a program that opens /dev/stdout for each line
    /// would gather them without end).
    /// </summary>
    private void Prune(int stream, IEnumerable<int> processes)
    {
        var held = processes.SelectMany(pid => DescriptorsOf(pid).Select(fd => (pid, fd))).ToList();
        var descriptions = _descriptions[stream];
        for (int i = descriptions.Count - 1; i > 0; i--)
        {
            if (!held.Any(h => Holds(h.pid, h.fd, descriptions[i])))
            {
                descriptions[i].Dispose();
                descriptions.RemoveAt(i);
            }
        }
        _pruneAt[stream] = Math.Max(PruneFloor, 2 * descriptions.Count);
    }

    /// <summary>The descriptors process <paramref name="pid"/> has open; none once it has ended.</summary>
    private static IEnumerable<int> DescriptorsOf(int pid)
    {
        try
        {
            return FdInfo.Descriptors(pid);
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// What sendfile, splice or copy_file_range moved from a file without passing it through the
    /// program's memory, read again from that file (at its offset before the call); null when the
    /// source cannot be read again (a pipe, a socket).
    /// </summary>
    private static unsafe byte[]? Copied(Tracee t, int number, ulong[] args, long result)
    {
        var (fd, offsetPointer) = number == Nr.sendfile ? ((int)args[1], args[2]) : ((int)args[0], args[1]);
        long end = offsetPointer != 0 ? (long)t.ReadUInt64(new RemotePtr(offsetPointer)) : PositionOf(t, fd) ?? -1;
        if (end < result)
        {
            return null;
        }
        using var pidfd = PidFd.TryOpen(t.Tgid);
        using var copy = pidfd?.TryCopy(fd);
        var data = new byte[result];
        fixed (byte* p = data)
        {
            return copy != null && Interop.pread64((int)copy.DangerousGetHandle(), p, (nint)result, end - result) == result ? data : null;
        }
    }

    /// <summary>A descriptor's file position, from /proc/PID/fdinfo.</summary>
    private static long? PositionOf(Tracee t, int fd)
    {
        try
        {
            return FdInfo.Position(FdInfo.Read(t.Tgid, fd));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var copy in _descriptions.SelectMany(d => d))
        {
            copy.Dispose();
        }
    }
}
