using System.Globalization;
using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Recording;

namespace Rewind.Hibernation;

/// <summary>
/// Reads a stopped process's descriptor table from outside (shared/DESIGN.md §10): what each
/// descriptor is open on (/proc/PID/fd, fdinfo, stat), which of them share one open file
/// description (kcmp), and the bytes a deleted file or a pipe of its own still holds, read
/// through copies of its descriptors (pidfd_getfd) without taking anything away from it.
/// </summary>
internal sealed class DescriptorCapture : IDisposable
{
    private const int KCMP_FILE = 0, SPLICE_F_NONBLOCK = 2, F_GETPIPE_SZ = 1032, F_SETPIPE_SZ = 1031;
    private readonly int _pid;
    private readonly PidFd _pidfd;
    private readonly Sockets _sockets;
    private UnixSocketTable? _unix;

    /// <summary>The terminals (st_rdev) that are the process's own, <see cref="OwnTerminals"/>.</summary>
    private readonly HashSet<ulong> _ownTerminals;

    private static readonly Dictionary<string, DescriptorKind> EventKinds = new()
    {
        ["anon_inode:[eventfd]"] = DescriptorKind.EventFd,
        ["anon_inode:[timerfd]"] = DescriptorKind.TimerFd,
        ["anon_inode:[signalfd]"] = DescriptorKind.SignalFd,
        ["anon_inode:[eventpoll]"] = DescriptorKind.Epoll,
    };

    private static readonly string[] CommonFields = ["pos:", "flags:", "mnt_id:", "ino:"];

    private DescriptorCapture(int pid, PidFd pidfd)
    {
        _pid = pid;
        _pidfd = pidfd;
        _sockets = new Sockets(pid);
        _ownTerminals = OwnTerminals(pid);
    }

    /// <summary>Every descriptor of process <paramref name="pid"/>, in order; the contents of deleted files go to <paramref name="blobs"/>.</summary>
    public static List<SavedDescriptor> Capture(int pid, BlobStore blobs)
    {
        using var capture = new DescriptorCapture(pid, PidFd.Open(pid));
        var fds = FdInfo.Descriptors(pid);
        var saved = new List<SavedDescriptor>();
        foreach (int fd in fds)
        {
            if (capture.Describe(fd, blobs) is { } d)
            {
                // Dups are open on one file, so /proc shows them the same path: kcmp only those,
                // not every pair (a recorder captures this at each checkpoint).
                saved.Add(saved.FirstOrDefault(s => s.Path == d.Path && capture.SameDescription(s.Fd, fd)) is { } first ? d with { SameAs = first.Fd } : d);
            }
        }
        return capture.Pair(saved);
    }

    private bool SameDescription(int a, int b) => Interop.syscall(Interop.SYS_kcmp, _pid, _pid, KCMP_FILE, a, b) == 0;

    /// <summary>Null for a descriptor closed meanwhile.</summary>
    private SavedDescriptor? Describe(int fd, BlobStore blobs)
    {
        string link = $"/proc/{_pid}/fd/{fd}";
        string? target;
        string[] lines;
        try
        {
            target = new FileInfo(link).LinkTarget;
            lines = FdInfo.Read(_pid, fd);
        }
        catch (IOException)
        {
            return null;
        }
        if (target is null || Interop.Stat(link) is not { } status)
        {
            return null;
        }
        int flags = FdInfo.Flags(lines);
        var d = new SavedDescriptor(fd, DescriptorKind.Lost, target, flags, FdInfo.Position(lines));
        const string Deleted = " (deleted)";
        if (status.IsRegular && target.EndsWith(Deleted, StringComparison.Ordinal))
        {
            // Any size: a large one is stored sparse, its data only (.NET's JIT maps its code through
            // a memfd of many GiB holding a few MiB). Read again each time: what a shared mapping
            // writes into a memfd changes no modification time (shmem has no page_mkwrite).
            var (id, size) = blobs.Add(link, target[..^Deleted.Length], reread: true);
            return d with { Kind = DescriptorKind.File, Path = target[..^Deleted.Length], Size = size, Content = id.Hex, Device = status.Device, Inode = status.Inode };
        }
        if (status.IsRegular && target.StartsWith('/'))
        {
            return d with { Kind = DescriptorKind.File, Size = status.Size, ModifiedNanos = status.ModifiedNanos };
        }
        if (status.IsDirectory && target.StartsWith('/'))
        {
            return d with { Kind = DescriptorKind.Directory };
        }
        if (status.IsTerminal && (_ownTerminals.Contains(status.RawDevice) || status is { DeviceMajor: 5, DeviceMinor: 0 }))
        {
            // Its own terminal, or /dev/tty, which names it (tty(4)): resume's own terminal takes its place.
            return d with { Kind = DescriptorKind.Terminal, TerminalSettings = TerminalSettings(fd) };
        }
        if (status.IsCharacterDevice && target.StartsWith("/dev/", StringComparison.Ordinal) && IsStateless(status))
        {
            return d with { Kind = DescriptorKind.Device };
        }
        if (status.IsCharacterDevice)
        {
            return d with { Note = DeviceNote(status, target, lines) };
        }
        if (status.IsPipe && (target.StartsWith("pipe:", StringComparison.Ordinal) || target.StartsWith('/') && !target.EndsWith(Deleted, StringComparison.Ordinal)))
        {
            // A FIFO opened O_RDWR is both its ends on one descriptor.
            var (queued, size) = Pipe(fd, readEnd: (flags & SavedDescriptor.O_ACCMODE) != SavedDescriptor.O_WRONLY);
            return d with { Kind = target.StartsWith('/') ? DescriptorKind.Fifo : DescriptorKind.Pipe, PipeId = status.Inode, Queued = queued, PipeSize = size };
        }
        if (EventKinds.TryGetValue(target, out var kind))
        {
            // After pos, flags, mnt_id and ino: the kernel's description of the object itself.
            return d with { Kind = kind, Info = lines.Where(l => !CommonFields.Any(f => l.StartsWith(f, StringComparison.Ordinal))).ToList() };
        }
        if (target == "anon_inode:inotify")
        {
            return Inotify(d, lines);
        }
        if (Sockets.InodeOf(target) is { } inode && (_unix ??= UnixSocketTable.Read())[ulong.Parse(inode, CultureInfo.InvariantCulture)] is { } unix)
        {
            return Unix(d, unix);
        }
        if (_sockets.Internet(target) is { Rebindable: true } listener)
        {
            return d with { Kind = DescriptorKind.Listener, Address = listener.Address, Note = listener.ToString() };
        }
        return d with { Note = _sockets.Describe(target) ?? (status.IsPipe ? $"the FIFO {target}" : target) };
    }

    /// <summary>
    /// The terminals that are the process's own, by device number: its controlling terminal
    /// (/proc/PID/stat tty_nr, encoded as st_rdev is) and those on its standard streams. Resume
    /// gives it its own terminal in their place; another terminal it holds (one end of a
    /// pseudo-terminal pair it opened, as a terminal emulator does) has state that cannot come back.
    /// A pseudo-terminal master is never one: every master is the one device /dev/ptmx.
    /// </summary>
    private static HashSet<ulong> OwnTerminals(int pid)
    {
        ulong controlling = ulong.Parse(ProcStatus.StatFields(File.ReadAllText($"/proc/{pid}/stat"))[7 - 3], CultureInfo.InvariantCulture);
        var own = Enumerable.Range(0, 3).Select(fd => Interop.Stat($"/proc/{pid}/fd/{fd}"))
            .Where(s => s is { IsTerminal: true } && !IsMaster(s.Value)).Select(s => s!.Value.RawDevice).ToHashSet();
        if (controlling != 0)
        {
            own.Add(controlling);
        }
        return own;
    }

    private static bool IsMaster(FileStatus device) => device is { DeviceMajor: 5, DeviceMinor: 2 };

    /// <summary>
    /// The character devices that hold no state of the process's, so that opening one again by its
    /// path gives what it had (drivers/char/mem.c): /dev/null, zero, full, random and urandom.
    /// Any other (tun, fuse, kvm, a pseudo-terminal) would come back fresh, its state lost.
    /// </summary>
    private static bool IsStateless(FileStatus device) => device is { DeviceMajor: 1, DeviceMinor: 3 or 5 or 7 or 8 or 9 };

    /// <summary>How a lost device is named: a pseudo-terminal master by its slave (fdinfo's tty-index, drivers/tty/pty.c).</summary>
    private static string DeviceNote(FileStatus device, string target, string[] lines)
    {
        if (IsMaster(device))
        {
            string? index = lines.FirstOrDefault(l => l.StartsWith("tty-index:", StringComparison.Ordinal))?["tty-index:".Length..].Trim();
            return index is null ? $"a pseudo-terminal master ({target})" : $"the pseudo-terminal master of /dev/pts/{index}";
        }
        return device.IsTerminal ? $"the terminal {target}, not the process's own" : $"the device {target}";
    }

    /// <summary>
    /// An inotify descriptor with its watches, from its fdinfo lines (fs/notify/fdinfo.c:
    /// "inotify wd:1 ino:bd637e sdev:fe00000 mask:300 ignored_mask:0 fhandle-bytes:8
    /// fhandle-type:1 f_handle:7e63bd00497457b7", numbers in hex). A watch names its file only by
    /// inode and file handle: one whose path cannot be found makes the descriptor lost.
    /// </summary>
    private static SavedDescriptor Inotify(SavedDescriptor d, string[] lines)
    {
        var watches = new List<SavedWatch>();
        foreach (string line in lines.Where(l => l.StartsWith("inotify ", StringComparison.Ordinal)))
        {
            var fields = line[8..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split(':', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
            uint Hex(string name) => uint.Parse(fields[name], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int wd = (int)Hex("wd");
            var (path, problem) = fields.TryGetValue("f_handle", out string? handle)
                ? FileHandles.PathOf(Hex("sdev"), (int)Hex("fhandle-type"), Convert.FromHexString(handle))
                : (null, "the kernel shows no file handle for it");
            if (path is null || Interop.Stat(path) is not { } status || status.Inode != ulong.Parse(fields["ino"], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            {
                return d with { Note = $"an inotify descriptor whose watch {wd} of inode {fields["ino"]} has no path ({problem ?? $"{path} is another file now"})" };
            }
            watches.Add(new SavedWatch(wd, path, Hex("mask")));
        }
        return d with { Kind = DescriptorKind.Inotify, Watches = [.. watches.OrderBy(w => w.Wd)], Note = $"inotify watching {string.Join(", ", watches.Select(w => w.Path))}" };
    }

    /// <summary>The terminal's settings (TCGETS through a copy of the descriptor): they belong to the terminal, which resume replaces.</summary>
    private unsafe byte[]? TerminalSettings(int fd)
    {
        using var copy = _pidfd.TryCopy(fd);
        var termios = new byte[Interop.TermiosSize];
        fixed (byte* p = termios)
        {
            return copy != null && Interop.ioctl(copy, Interop.TCGETS, p) == 0 ? termios : null;
        }
    }

    /// <summary>
    /// A UNIX socket with its queued messages; a name bound relative to the working directory is
    /// made absolute (unix(7): sun_path is resolved as open(2) resolves it).
    /// </summary>
    private SavedDescriptor Unix(SavedDescriptor d, UnixSocket unix)
    {
        using var copy = _pidfd.Copy(d.Fd);
        const int RCV_SHUTDOWN = 1;
        // unix_diag counts a stream's bytes (unix_inq_len); a datagram or seqpacket message may be empty, and carry descriptors.
        bool empty = unix.Listening || unix.Queued == 0 && unix.Type == SocketType.Stream;
        var (queued, problem) = empty ? ([], null) : SocketQueue.Peek(copy, unix.Type, (unix.Shutdown & RCV_SHUTDOWN) != 0);
        string? name = unix.Name is { } n && !n.StartsWith('/') && !n.StartsWith('@') ? Path.Combine(new FileInfo($"/proc/{_pid}/cwd").LinkTarget!, n) : unix.Name;
        var socket = new SavedSocket(unix.Inode, unix.Type, unix.Peer, name, unix.Listening, (int)unix.Backlog, unix.Shutdown,
            Interop.GetSocketOption(copy, Interop.SO_SNDBUF), queued, unix.Connected);
        return problem is null ? d with { Kind = DescriptorKind.UnixSocket, Socket = socket, Note = socket.ToString() } : d with { Socket = socket with { Queued = null }, Note = $"{socket} with {problem}" };
    }

    /// <summary>
    /// A pipe is made again only when the process holds both its ends, a connected UNIX socket only
    /// when it holds its peer too; one that leads elsewhere is standard input or output handed
    /// over to resume's own, or else lost. A FIFO is opened again by its path all the same, but
    /// its bytes are saved only when the process holds both ends: else they stay in the FIFO as
    /// long as the other process keeps it open.
    /// </summary>
    private List<SavedDescriptor> Pair(List<SavedDescriptor> saved)
    {
        var whole = saved.Where(d => d.Kind is DescriptorKind.Pipe or DescriptorKind.Fifo).GroupBy(d => d.PipeId)
            .Where(g => g.Any(d => (d.Flags & SavedDescriptor.O_ACCMODE) != SavedDescriptor.O_WRONLY) && g.Any(d => d.Writes)).Select(g => g.Key).ToHashSet();
        var sockets = saved.Where(d => d.Socket != null).GroupBy(d => d.Socket!.Inode).ToDictionary(g => g.Key, g => g.First());
        return saved.Select(d => d.Kind switch
        {
            // Its bytes are kept: resumed with that process (a recording's moment of several), it is one pipe again.
            DescriptorKind.Pipe when !whole.Contains(d.PipeId) => Elsewhere(d with { Note = $"a pipe to another process ({d.Path})" }),
            // A shell's `job < fifo` is standard input like a pipe's: resume's own.
            DescriptorKind.Fifo when !whole.Contains(d.PipeId) && d.Fd <= 2 => d with { Kind = DescriptorKind.Inherited, Queued = null },
            DescriptorKind.Fifo when !whole.Contains(d.PipeId) => d with { Queued = null },
            DescriptorKind.UnixSocket when SocketProblem(d.Socket!, sockets) is { } problem => Elsewhere(d with { Socket = d.Socket! with { Queued = null }, Note = problem }),
            DescriptorKind.Lost => Elsewhere(d),
            // A socket on standard input (inetd's way) is the stream resume is given.
            DescriptorKind.Listener when d.Fd <= 2 => d with { Kind = DescriptorKind.Inherited },
            _ => d,
        }).ToList();
    }

    /// <summary>
    /// Why a UNIX socket cannot be made again: its peer is not the process's (or, a datagram
    /// socket being connectable one way, is connected elsewhere), or cannot be saved.
    /// </summary>
    private string? SocketProblem(SavedSocket socket, Dictionary<ulong, SavedDescriptor> sockets)
    {
        if (socket.Peer != 0 && sockets.GetValueOrDefault(socket.Peer) is { Socket: { } peer } end && peer.Peer == socket.Inode)
        {
            return end.Kind == DescriptorKind.UnixSocket ? null : $"{socket}, the other end of fd {end.Fd}";
        }
        if (socket.Peer != 0)
        {
            return $"{socket with { Peer = 0, Connected = false }} connected to {_unix![socket.Peer]?.Name ?? "another process"}";
        }
        return null;
    }

    /// <summary>
    /// What leads outside the process is resume's own on a standard stream, and on a dup of one
    /// (.NET's Console writes through dups of 0, 1 and 2); elsewhere it is lost.
    /// </summary>
    private static SavedDescriptor Elsewhere(SavedDescriptor d) =>
        d.Fd <= 2 || d.SameAs <= 2 ? d with { Kind = DescriptorKind.Inherited } : d with { Kind = DescriptorKind.Lost };

    /// <summary>
    /// The capacity of the pipe <paramref name="fd"/> is an end of and, on its read end, the bytes
    /// waiting in it, duplicated (tee(2)) into a pipe of ours and read from there.
    /// </summary>
    private unsafe (byte[]? Queued, int Size) Pipe(int fd, bool readEnd)
    {
        // Resume keeps the default capacity of a write end it cannot copy; only a read end's bytes must not be lost.
        using var copy = readEnd ? _pidfd.Copy(fd) : _pidfd.TryCopy(fd);
        if (copy is null)
        {
            return (null, 0);
        }
        int source = (int)copy.DangerousGetHandle();
        int size = (int)Interop.syscall(Interop.SYS_fcntl, source, F_GETPIPE_SZ);
        if (!readEnd)
        {
            return (null, size);
        }
        int* ends = stackalloc int[] { -1, -1 };
        try
        {
            Interop.Check((int)Interop.syscall(Interop.SYS_pipe2, (long)ends, Interop.O_CLOEXEC | Interop.O_NONBLOCK), "pipe2");
            _ = Interop.syscall(Interop.SYS_fcntl, ends[1], F_SETPIPE_SZ, size);
            long teed = Interop.syscall(Interop.SYS_tee, source, ends[1], int.MaxValue, SPLICE_F_NONBLOCK);
            var data = new byte[Math.Max(teed, 0)];
            fixed (byte* p = data)
            {
                for (long done = 0; done < data.Length;)
                {
                    long n = Interop.syscall(Interop.SYS_read, ends[0], (long)(p + done), data.Length - done);
                    done += n > 0 ? n : throw Interop.Error("read of a pipe's copy");
                }
            }
            return (data, size);
        }
        finally
        {
            foreach (int open in new[] { ends[0], ends[1] }.Where(f => f >= 0))
            {
                Interop.close(open);
            }
        }
    }

    public void Dispose() => _pidfd.Dispose();
}
