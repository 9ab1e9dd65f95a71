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
/// taken from the program with pidfd_getfd before it runs.
/// </summary>
internal sealed class StandardStreams : IDisposable
{
    private const int KCMP_FILE = 0;
    private readonly SafeFileHandle?[] _copies;

    private StandardStreams(SafeFileHandle?[] copies) => _copies = copies;

    /// <summary>Takes copies of descriptors 1 and 2 of process <paramref name="pid"/>, as they are now.</summary>
    public static StandardStreams Of(int pid)
    {
        using var pidfd = PidFd.Open(pid);
        // A stream the program was started without stays null: nothing is its output.
        return new StandardStreams([null, pidfd.TryCopy(1), pidfd.TryCopy(2)]);
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

    private bool Same(int stream, int tid, int fd) =>
        _copies[stream] is { } copy && fd >= 0 && Interop.syscall(Interop.SYS_kcmp, Environment.ProcessId, tid, KCMP_FILE, copy.DangerousGetHandle(), fd) == 0;

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
        foreach (var copy in _copies)
        {
            copy?.Dispose();
        }
    }
}
