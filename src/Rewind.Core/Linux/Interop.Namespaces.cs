using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    /// <summary>ioctl_ns(2): a descriptor of the user namespace that owns a namespace.</summary>
    private const uint NS_GET_USERNS = 0xb701;

    [LibraryImport(Libc)]
    internal static partial uint geteuid();

    [LibraryImport(Libc)]
    internal static partial uint getegid();

    /// <summary>
    /// Whether our own user namespace owns our pid namespace: a capability acts on a namespace
    /// through the user namespace that owns it (user_namespaces(7)), so ours choose pids here only
    /// then (a process run by `unshare --user` has them over nothing of its pid namespace).
    /// NS_GET_USERNS answers EPERM for an owner outside our user namespace.
    /// </summary>
    internal static unsafe bool OwnPidNamespace()
    {
        using var pids = File.OpenHandle("/proc/self/ns/pid");
        int owner = ioctl(pids, NS_GET_USERNS, null);
        if (owner < 0)
        {
            return false;
        }
        try
        {
            return Stat($"/proc/self/fd/{owner}") is { } theirs && Stat("/proc/self/ns/user") is { } ours && (theirs.Device, theirs.Inode) == (ours.Device, ours.Inode);
        }
        finally
        {
            close(owner);
        }
    }
}
