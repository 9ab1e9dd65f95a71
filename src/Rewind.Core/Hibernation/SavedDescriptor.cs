namespace Rewind.Hibernation;

/// <summary>What a saved descriptor is open on, and so how resume opens it again. Saved as its number: new kinds go last.</summary>
public enum DescriptorKind
{
    /// <summary>A regular file, reopened by its path; a deleted one is recreated from <see cref="SavedDescriptor.Content"/>.</summary>
    File,
    Directory,
    /// <summary>A character device that holds no state of the process's (/dev/null, zero, full, random, urandom), reopened by its path.</summary>
    Device,
    /// <summary>A terminal: the resumed process takes the terminal of <c>rewind resume</c>, set as <see cref="SavedDescriptor.TerminalSettings"/>.</summary>
    Terminal,
    /// <summary>One end of a pipe whose both ends the process holds: made again, with the bytes queued in it.</summary>
    Pipe,
    /// <summary>An eventfd, its counter in <see cref="SavedDescriptor.Info"/>.</summary>
    EventFd,
    /// <summary>A timerfd, its clock and setting in <see cref="SavedDescriptor.Info"/>, armed again for the time it had left.</summary>
    TimerFd,
    /// <summary>A signalfd, its mask in <see cref="SavedDescriptor.Info"/>.</summary>
    SignalFd,
    /// <summary>An epoll set, its watches in <see cref="SavedDescriptor.Info"/> (by the watched descriptors' numbers), made again after every other.</summary>
    Epoll,
    /// <summary>A listening TCP socket or an unconnected UDP one, bound again to <see cref="SavedDescriptor.Address"/>.</summary>
    Listener,
    /// <summary>Standard input, output or error connected outside the process (a pipe to its shell's next command, a socket): resume's own.</summary>
    Inherited,
    /// <summary>Something that cannot come back (a socket to another process, a device); with --close-lost, a dead descriptor.</summary>
    Lost,
    /// <summary>
    /// A UNIX socket (<see cref="SavedDescriptor.Socket"/>): one end of a connection whose both ends
    /// the process holds, made again as a socketpair with the messages queued at each end, or
    /// one connected to nothing, bound again to its name and listening again if it did.
    /// </summary>
    UnixSocket,
    /// <summary>A FIFO (named pipe), opened again by its path; with the bytes queued in it when the process holds both its ends.</summary>
    Fifo,
    /// <summary>An inotify descriptor, its watches in <see cref="SavedDescriptor.Watches"/>, made again with the same watch numbers; the events it held unread are lost.</summary>
    Inotify,
}

/// <summary>
/// One open descriptor of a hibernated process. <see cref="Flags"/> are the file status flags and
/// access mode of fdinfo (O_CLOEXEC included); <see cref="SameAs"/> names the lower descriptor
/// of the same open file description (a dup), which resume dups instead of opening again.
/// <see cref="Size"/> and <see cref="ModifiedNanos"/> describe a regular file as it was, for the
/// check that it has not changed; <see cref="Content"/> is the blob of a deleted file's bytes, and
/// <see cref="Device"/> and <see cref="Inode"/> its identity, which its shared mappings name too;
/// <see cref="PipeId"/> names a pipe or FIFO (its inode), <see cref="Queued"/> the bytes waiting in it (on
/// its read end) and <see cref="PipeSize"/> its capacity; <see cref="Info"/> holds the kernel's
/// own description of an eventfd, timerfd, signalfd or epoll set (its fdinfo lines after the
/// common ones); <see cref="Socket"/> describes a UNIX socket; <see cref="Watches"/> are an inotify descriptor's;
/// <see cref="TerminalSettings"/> a terminal's struct termios (TCGETS: raw mode, echo, special characters); <see cref="Address"/> a listener's ("tcp://127.0.0.1:8080"); <see cref="Note"/>
/// says what a lost one was.
/// </summary>
public sealed record SavedDescriptor(
    int Fd,
    DescriptorKind Kind,
    string Path,
    int Flags,
    long Offset = 0,
    int? SameAs = null,
    long Size = 0,
    long ModifiedNanos = 0,
    string? Content = null,
    ulong PipeId = 0,
    byte[]? Queued = null,
    int PipeSize = 0,
    IReadOnlyList<string>? Info = null,
    string? Address = null,
    string? Note = null,
    SavedSocket? Socket = null,
    IReadOnlyList<SavedWatch>? Watches = null,
    byte[]? TerminalSettings = null,
    ulong Device = 0,
    ulong Inode = 0)
{
    public const int O_ACCMODE = 3, O_WRONLY = 1, O_RDWR = 2, O_APPEND = 0x400, O_CLOEXEC = 0x80000;

    public bool CloseOnExec => (Flags & O_CLOEXEC) != 0;

    public bool Writes => (Flags & O_ACCMODE) != 0;

    /// <summary>How the user would name it: "fd 3 (/tmp/log)".</summary>
    public string Describe() => $"fd {Fd} ({Note ?? Address ?? Path})";

    /// <summary>What a lost descriptor becomes when it is kept as a dead one, as resume reports it.</summary>
    public string ClosedNote => $"{Describe()} is closed: reads see end of file, writes fail";
}
