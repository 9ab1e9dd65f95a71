using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// Opens a hibernated process's descriptors again in the stub that becomes it, by syscalls
/// injected into the stub (shared/DESIGN.md §10): each one is made at a parking number above
/// every saved one, then dup3'd to its own number, so no descriptor being made can take the
/// number of one still to come. The stub's own standard streams, which are those of
/// <c>rewind resume</c>, are parked first: a terminal and what was inherited are dups of them.
/// Bytes go into a recreated pipe or deleted file from our side, through a copy of its descriptor.
/// </summary>
internal sealed partial class DescriptorRestore : IDisposable
{
    private const int F_DUPFD_CLOEXEC = 1030, F_SETFD = 2, F_SETFL = 4, F_SETPIPE_SZ = 1031, FD_CLOEXEC = 1;
    private const int O_TMPFILE = 0x410000, O_RDWR = 2, O_NOCTTY = 0x100;
    /// <summary>The flags F_SETFL changes: O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK.</summary>
    private const int StatusFlags = 0x400 | 0x2000 | 0x4000 | 0x40000 | 0x800;

    private readonly Tracee _stub;
    private readonly Trace.TraceFile _image;
    private readonly TreePipes? _treePipes;
    private readonly int _park;
    private readonly PidFd _pidfd;
    private readonly int[] _streams;
    private readonly Dictionary<ulong, (int Read, int Write)> _pipes = [];
    private readonly Dictionary<ulong, int> _fifos = [];
    private readonly List<string> _notes = [];

    private DescriptorRestore(Tracee stub, Trace.TraceFile image, TreePipes? treePipes, int park)
    {
        _stub = stub;
        _image = image;
        _treePipes = treePipes;
        _park = park;
        _pidfd = PidFd.Open(stub.Pid);
        _streams = [.. Enumerable.Range(0, 3).Select(fd => (int)stub.InjectSyscall(Nr.fcntl, (ulong)fd, F_DUPFD_CLOEXEC, (ulong)park))];
    }

    /// <summary>
    /// Gives <paramref name="stub"/> exactly the descriptors <paramref name="saved"/>, its ends of
    /// <paramref name="treePipes"/> (pipes to the other processes resumed with it) opened again on
    /// those; returns what could only be approximated.
    /// </summary>
    public static IReadOnlyList<string> Restore(Tracee stub, IReadOnlyList<SavedDescriptor> saved, Trace.TraceFile image, TreePipes? treePipes = null)
    {
        using var restore = new DescriptorRestore(stub, image, treePipes, Math.Max(3, saved.Count == 0 ? 0 : saved.Max(d => d.Fd) + 1));
        // An epoll set watches descriptors by number: it is made once every other one is in place.
        bool Watches(SavedDescriptor d) => saved.First(s => s.Fd == (d.SameAs ?? d.Fd)).Kind == DescriptorKind.Epoll;
        foreach (var d in saved.OrderBy(Watches))
        {
            restore.Place(d.SameAs ?? restore.Open(d, saved), d);
        }
        var keep = saved.Select(d => d.Fd).ToHashSet();
        foreach (int fd in FdInfo.Descriptors(stub.Pid).Where(fd => !keep.Contains(fd)))
        {
            stub.InjectSyscall(Nr.close, (ulong)fd);
        }
        return restore._notes;
    }

    /// <summary>Makes the open file description of <paramref name="d"/> at a parking number.</summary>
    private int Open(SavedDescriptor d, IReadOnlyList<SavedDescriptor> saved)
    {
        int openFlags = d.Flags & ~SavedDescriptor.O_CLOEXEC;
        if (_treePipes?.EndOf(d) is { } shared)
        {
            int handed = _stub.InjectDescriptor(shared);
            int opened = _stub.InjectOpen(LiveMappings.Reopened(handed), openFlags | Interop.O_NONBLOCK);
            _stub.InjectSyscall(Nr.close, (ulong)handed);
            return WithStatus(Park(opened), d.Flags);
        }
        switch (d.Kind)
        {
            case DescriptorKind.File when d.Content != null:
                return Seek(Recreated(d, saved), d.Offset);
            case DescriptorKind.File or DescriptorKind.Directory:
                return Seek(Park(_stub.InjectOpen(d.Path, openFlags)), d.Offset);
            case DescriptorKind.Device:
                return Park(_stub.InjectOpen(d.Path, openFlags | O_NOCTTY));
            case DescriptorKind.Terminal:
                return Configured(Terminal(d), d.TerminalSettings);
            case DescriptorKind.Inherited when _streams[d.Fd] >= 0:
                return Dup(_streams[d.Fd]);
            case DescriptorKind.Inherited:
                _notes.Add($"{d.Describe()}: rewind resume has no fd {d.Fd}, so it is /dev/null");
                return Park(_stub.InjectOpen("/dev/null", O_RDWR));
            case DescriptorKind.EventFd:
                return Park(EventDescriptors.EventFd(_stub, d));
            case DescriptorKind.TimerFd:
                return Park(EventDescriptors.TimerFd(_stub, d));
            case DescriptorKind.SignalFd:
                return Park(EventDescriptors.SignalFd(_stub, d));
            case DescriptorKind.Epoll:
                return Park(EventDescriptors.Epoll(_stub, d, _notes));
            case DescriptorKind.Inotify:
                return WithStatus(Drained(Park(EventDescriptors.Inotify(_stub, d, _notes))), d.Flags);
            case DescriptorKind.Listener:
                return WithStatus(Park(EventDescriptors.Listener(_stub, d)), d.Flags);
            case DescriptorKind.UnixSocket:
                return WithStatus(Dup(UnixSocket(d, saved)), d.Flags);
            case DescriptorKind.Fifo:
                return WithStatus(Fifo(d, saved), d.Flags);
            case DescriptorKind.Pipe:
                var (read, write) = _pipes.TryGetValue(d.PipeId, out var ends) ? ends : _pipes[d.PipeId] = Pipe(saved.First(s => s.PipeId == d.PipeId && !s.Writes && s.SameAs == null));
                return WithStatus(Dup(d.Writes ? write : read), d.Flags);
            default:
                return Dead();
        }
    }

    /// <summary>Puts the description at <paramref name="temp"/> on the saved descriptor's number, with its close-on-exec flag.</summary>
    private void Place(int temp, SavedDescriptor d)
    {
        _stub.InjectSyscallChecked($"dup3 to fd {d.Fd}", Nr.dup3, (ulong)temp, (ulong)d.Fd, d.CloseOnExec ? (ulong)SavedDescriptor.O_CLOEXEC : 0);
        if (d.SameAs == null)
        {
            _stub.InjectSyscall(Nr.close, (ulong)temp);
        }
    }

    private int Park(int fd)
    {
        int parked = Dup(fd);
        _stub.InjectSyscall(Nr.close, (ulong)fd);
        return parked;
    }

    private int Dup(int fd) => (int)_stub.InjectSyscallChecked("fcntl(F_DUPFD_CLOEXEC)", Nr.fcntl, (ulong)fd, F_DUPFD_CLOEXEC, (ulong)_park);

    private int Seek(int fd, long offset)
    {
        _ = _stub.InjectSyscall(Nr.lseek, (ulong)fd, (ulong)offset, 0);
        return fd;
    }

    private int WithStatus(int fd, int flags)
    {
        _stub.InjectSyscallChecked("fcntl(F_SETFL)", Nr.fcntl, (ulong)fd, F_SETFL, (ulong)(flags & StatusFlags));
        return fd;
    }

    /// <summary>resume's own terminal, from its standard streams or /dev/tty; /dev/null when it has none.</summary>
    private int Terminal(SavedDescriptor d)
    {
        foreach (int stream in _streams.Where(s => s >= 0))
        {
            if (Interop.Stat($"/proc/{_stub.Pid}/fd/{stream}") is { IsTerminal: true })
            {
                return Dup(stream);
            }
        }
        try
        {
            return Park(_stub.InjectOpen("/dev/tty", O_RDWR | O_NOCTTY));
        }
        catch (ErrnoException)
        {
        }
        _notes.Add($"{d.Describe()} was a terminal, and rewind resume has none: it is /dev/null");
        return Park(_stub.InjectOpen("/dev/null", O_RDWR));
    }

    /// <summary>Sets resume's terminal as the process had its own (raw mode, echo…), from our side through a copy.</summary>
    private unsafe int Configured(int terminal, byte[]? settings)
    {
        if (settings is not { Length: Interop.TermiosSize } || Interop.Stat($"/proc/{_stub.Pid}/fd/{terminal}") is not { IsTerminal: true })
        {
            return terminal;
        }
        using var copy = _pidfd.Copy(terminal);
        fixed (byte* p = settings)
        {
            byte* termios = p;
            Interop.Check(Interop.OutsideForeground(() => Interop.ioctl(copy, Interop.TCSETS, termios)), "ioctl(TCSETS)");
        }
        return terminal;
    }

    /// <summary>
    /// A deleted file made again, its saved data written at their offsets (a sparse file stays
    /// sparse): a memfd of its old name for a memfd ("/memfd:doublemapper"), else an unnamed file
    /// (O_TMPFILE) in its directory, or /tmp. Another description of the same file (an open of it,
    /// not a dup) opens the one made before again through /proc, so that they and the mappings of
    /// it (<see cref="LiveMappings"/>) stay one file.
    /// </summary>
    private int Recreated(SavedDescriptor d, IReadOnlyList<SavedDescriptor> saved)
    {
        // An image written before deleted files kept their identity (inode 0) makes each apart.
        if (d.Inode != 0 && saved.First(s => s.Content != null && s.SameAs == null && s.Device == d.Device && s.Inode == d.Inode) is { } first && first.Fd != d.Fd)
        {
            return WithStatus(Park(_stub.InjectOpen(LiveMappings.Reopened(first.Fd), O_RDWR)), d.Flags);
        }
        int fd = LiveMappings.MemoryFileName(d.Path) is { } name
            ? Park((int)_stub.InjectSyscallWithBuffer("memfd_create", Nr.memfd_create, [.. System.Text.Encoding.UTF8.GetBytes(name), 0], at => [at, 0]).Result)
            : Park(_stub.InjectOpen(Path.GetDirectoryName(d.Path) is { } directory && Directory.Exists(directory) ? directory : Path.GetTempPath(), O_TMPFILE | O_RDWR));
        using var copy = _pidfd.Copy(fd);
        MemoryFile.Resize(copy, d.Size);
        _image.ReadBlobRange(new Trace.BlobId(d.Content!), (ulong)d.Size, 0, (ulong)d.Size, (offset, bytes) => MemoryFile.WriteData(copy, bytes, (long)offset));
        return WithStatus(fd, d.Flags);
    }

    /// <summary>A new pipe in the stub, both ends parked, with the capacity and queued bytes of <paramref name="reader"/> (the saved read end).</summary>
    private (int Read, int Write) Pipe(SavedDescriptor reader)
    {
        byte[] ends = _stub.InjectSyscallWithBuffer("pipe2", Nr.pipe2, new byte[8], at => [at, (ulong)SavedDescriptor.O_CLOEXEC]).Buffer;
        int read = Park(BitConverter.ToInt32(ends, 0)), write = Park(BitConverter.ToInt32(ends, 4));
        Refill(write, reader);
        return (read, write);
    }

    /// <summary>Gives the pipe or FIFO that <paramref name="write"/> writes to the capacity and queued bytes of <paramref name="reader"/> (the saved read end).</summary>
    private void Refill(int write, SavedDescriptor reader)
    {
        if (reader.PipeSize > 0)
        {
            _ = _stub.InjectSyscall(Nr.fcntl, (ulong)write, F_SETPIPE_SZ, (ulong)reader.PipeSize);
        }
        if (reader.Queued is { Length: > 0 } queued)
        {
            Fill(write, queued);
        }
    }

    /// <summary>
    /// A FIFO opened again by its path. Opening one end waits until the other is open, or fails
    /// with ENXIO for a writer with O_NONBLOCK (fifo(7)); a holder opened O_RDWR, which Linux
    /// never makes wait, keeps both ends open while each descriptor opens O_NONBLOCK (its own
    /// status flags are set after), and takes the saved bytes; it is closed at the end.
    /// </summary>
    private int Fifo(SavedDescriptor d, IReadOnlyList<SavedDescriptor> saved)
    {
        if (!_fifos.ContainsKey(d.PipeId))
        {
            int holder = _fifos[d.PipeId] = Park(_stub.InjectOpen(d.Path, O_RDWR));
            if (saved.FirstOrDefault(s => s.Kind == DescriptorKind.Fifo && s.PipeId == d.PipeId && s.SameAs == null && (s.Queued != null || s.PipeSize > 0)) is { } reader)
            {
                Refill(holder, reader);
            }
        }
        return Park(_stub.InjectOpen(d.Path, d.Flags & ~SavedDescriptor.O_CLOEXEC | Interop.O_NONBLOCK));
    }

    /// <summary>Reads away what the non-blocking descriptor <paramref name="fd"/> holds (the events its making queued), through our copy of it.</summary>
    private unsafe int Drained(int fd)
    {
        using var copy = _pidfd.Copy(fd);
        byte* buffer = stackalloc byte[4096];
        while (Interop.read(copy, buffer, 4096) > 0)
        {
        }
        return fd;
    }

    /// <summary>A lost descriptor's stand-in: a socket whose peer is closed reads end of file, and its writes fail with EPIPE.</summary>
    private int Dead()
    {
        const int AF_UNIX = 1, SOCK_STREAM = 1;
        byte[] ends = _stub.InjectSyscallWithBuffer("socketpair", Nr.socketpair, new byte[8], at => [AF_UNIX, SOCK_STREAM | (ulong)SavedDescriptor.O_CLOEXEC, 0, at]).Buffer;
        _stub.InjectSyscall(Nr.close, (ulong)BitConverter.ToInt32(ends, 4));
        return Park(BitConverter.ToInt32(ends, 0));
    }

    /// <summary>Writes <paramref name="data"/> to the stub's descriptor <paramref name="fd"/>, through our own copy of it (pidfd_getfd).</summary>
    private void Fill(int fd, byte[] data)
    {
        using var stream = new FileStream(_pidfd.Copy(fd), FileAccess.Write, bufferSize: 0);
        stream.Write(data);
    }

    public void Dispose()
    {
        foreach (var (read, write) in _pipes.Values)
        {
            _stub.InjectSyscall(Nr.close, (ulong)read);
            _stub.InjectSyscall(Nr.close, (ulong)write);
        }
        foreach (int parked in _sockets.Values.Concat(_fifos.Values))
        {
            _stub.InjectSyscall(Nr.close, (ulong)parked);
        }
        foreach (int stream in _streams.Where(s => s >= 0))
        {
            _stub.InjectSyscall(Nr.close, (ulong)stream);
        }
        _pidfd.Dispose();
    }
}
