using System.Globalization;
using System.Runtime.InteropServices;

namespace Rewind.Linux;

/// <summary>
/// The path of a file known only by its file handle, as fdinfo shows one for an inotify watch
/// (proc(5): fhandle-type, f_handle) with the device of its filesystem: the handle opened with
/// open_by_handle_at(2) on a mount of that device, and the path read back from /proc/self/fd.
/// The kernel allows that only with CAP_DAC_READ_SEARCH.
/// </summary>
internal static class FileHandles
{
    private const int O_PATH = 0x200000;

    /// <summary>The path of the file, or why it cannot be found.</summary>
    /// <param name="device">the superblock's s_dev as the kernel prints it: major in the bits above 20, minor below.</param>
    public static unsafe (string? Path, string? Problem) PathOf(uint device, int type, byte[] handle)
    {
        if (MountOf(device >> 20, device & 0xfffff) is not { } mount)
        {
            return (null, $"no mount of device {device >> 20}:{device & 0xfffff} is visible");
        }
        // Not O_PATH: open_by_handle_at takes its mount through fdget, which refuses O_PATH descriptors.
        int mountFd = Interop.open(mount, Interop.O_DIRECTORY | Interop.O_CLOEXEC, 0);
        if (mountFd < 0)
        {
            return (null, Interop.Error($"open({mount})").Message);
        }
        // struct file_handle: handle_bytes, handle_type, f_handle.
        var buffer = new byte[8 + handle.Length];
        BitConverter.TryWriteBytes(buffer.AsSpan(0), handle.Length);
        BitConverter.TryWriteBytes(buffer.AsSpan(4), type);
        handle.CopyTo(buffer, 8);
        int fd;
        fixed (byte* p = buffer)
        {
            fd = Interop.open_by_handle_at(mountFd, p, O_PATH | Interop.O_CLOEXEC);
        }
        var failure = fd < 0 ? Interop.Error("open_by_handle_at") : null;
        Interop.close(mountFd);
        if (fd < 0)
        {
            return (null, failure!.Errno == Errno.EPERM ? "finding it needs CAP_DAC_READ_SEARCH (run as root)" : failure!.Message);
        }
        try
        {
            string? path = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            return path is null || path.EndsWith(" (deleted)", StringComparison.Ordinal) ? (null, "it was deleted") : (path, null);
        }
        finally
        {
            Interop.close(fd);
        }
    }

    /// <summary>A mount point of device <paramref name="major"/>:<paramref name="minor"/> from /proc/self/mountinfo, one that mounts its root first.</summary>
    private static string? MountOf(uint major, uint minor)
    {
        // 27 1 254:0 / / rw,relatime - ext4 /dev/vda rw: id, parent, major:minor, root, mount point, … (proc(5)).
        string device = string.Create(CultureInfo.InvariantCulture, $"{major}:{minor}");
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Where(f => f.Length > 4 && f[2] == device).ToList();
        return mounts.OrderBy(f => f[3] == "/" ? 0 : 1).Select(f => Unescape(f[4])).FirstOrDefault();
    }

    /// <summary>mountinfo writes a space, tab, newline or backslash in a path as an octal escape ("\040").</summary>
    private static string Unescape(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
