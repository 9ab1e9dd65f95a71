using Microsoft.Win32.SafeHandles;

namespace Rewind.Linux;

/// <summary>
/// A process's pidfd (pidfd_open(2)), through which we take copies of its descriptors
/// (pidfd_getfd(2)): each copy is a descriptor of ours on the same open file description, so
/// reading its state (a pipe's bytes, a socket's queue, a file's position) or writing into it
/// reaches the process's own. Taking a copy needs ptrace access to the process.
/// </summary>
internal sealed class PidFd : SafeHandleZeroOrMinusOneIsInvalid
{
    private PidFd(nint fd) : base(ownsHandle: true) => SetHandle(fd);

    /// <summary>The pidfd of process <paramref name="pid"/>; <see cref="ErrnoException"/> when there is none.</summary>
    public static PidFd Open(int pid) => new((nint)Interop.Check(Interop.syscall(Interop.SYS_pidfd_open, pid, 0), "pidfd_open"));

    /// <summary>The pidfd of process <paramref name="pid"/>, or null when it has ended.</summary>
    public static PidFd? TryOpen(int pid) => Interop.syscall(Interop.SYS_pidfd_open, pid, 0) is var fd and >= 0 ? new PidFd((nint)fd) : null;

    /// <summary>A copy of the process's descriptor <paramref name="fd"/>, close-on-exec; <see cref="ErrnoException"/> when it has none.</summary>
    public SafeFileHandle Copy(int fd) => new((nint)Interop.Check(GetFd(fd), $"pidfd_getfd of fd {fd}"), ownsHandle: true);

    /// <summary>A copy of the process's descriptor <paramref name="fd"/>, or null when it has none (or it cannot be taken).</summary>
    public SafeFileHandle? TryCopy(int fd) => GetFd(fd) is var copy and >= 0 ? new SafeFileHandle((nint)copy, ownsHandle: true) : null;

    private long GetFd(int fd) => Interop.syscall(Interop.SYS_pidfd_getfd, (long)handle, fd, 0);

    protected override bool ReleaseHandle() => Interop.close((int)handle) == 0;
}
