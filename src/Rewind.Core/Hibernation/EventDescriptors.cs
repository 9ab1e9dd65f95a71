using System.Globalization;
using System.Net;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// Makes again, in the stub that becomes a resumed process, the descriptors that are kernel
/// objects rather than files: an eventfd with its counter, a timerfd armed for the time it had
/// left, a signalfd with its mask, an epoll set with its watches, a listening socket bound to
/// its address. Each reads what <see cref="DescriptorCapture"/> saved: the kernel's own
/// fdinfo lines, or the socket's address. Returns the new descriptor's number.
/// </summary>
internal static class EventDescriptors
{
    private const int O_NONBLOCK = 0x800;

    public static int EventFd(Tracee t, SavedDescriptor d)
    {
        const int EFD_SEMAPHORE = 1;
        ulong count = Convert.ToUInt64(Field(d, "eventfd-count"), 16);
        int semaphore = Field(d, "eventfd-semaphore") == "1" ? EFD_SEMAPHORE : 0;
        return (int)t.InjectSyscallChecked("eventfd2", Nr.eventfd2, count, (ulong)(semaphore | d.Flags & O_NONBLOCK));
    }

    public static int SignalFd(Tracee t, SavedDescriptor d)
    {
        byte[] mask = BitConverter.GetBytes(Convert.ToUInt64(Field(d, "sigmask"), 16));
        return (int)t.InjectSyscallWithBuffer("signalfd4", Nr.signalfd4, mask, at => [ulong.MaxValue, at, 8, (ulong)(d.Flags & O_NONBLOCK)]).Result;
    }

    /// <summary>
    /// A timer is set relative to now for the time it had left; one that had expired unread
    /// (ticks) fires at once, counting one expiry; a periodic one between ticks waits an interval.
    /// </summary>
    public static int TimerFd(Tracee t, SavedDescriptor d)
    {
        int fd = (int)t.InjectSyscallChecked("timerfd_create", Nr.timerfd_create, ulong.Parse(Field(d, "clockid"), CultureInfo.InvariantCulture), (ulong)(d.Flags & O_NONBLOCK));
        var (valueSeconds, valueNanos) = Pair(Field(d, "it_value"));
        var interval = Pair(Field(d, "it_interval"));
        if (ulong.Parse(Field(d, "ticks"), CultureInfo.InvariantCulture) > 0)
        {
            (valueSeconds, valueNanos) = (0, 1);
        }
        else if (valueSeconds == 0 && valueNanos == 0)
        {
            (valueSeconds, valueNanos) = interval;
        }
        if (valueSeconds != 0 || valueNanos != 0)
        {
            var setting = new byte[32];
            BitConverter.TryWriteBytes(setting.AsSpan(0), interval.Seconds);
            BitConverter.TryWriteBytes(setting.AsSpan(8), interval.Nanos);
            BitConverter.TryWriteBytes(setting.AsSpan(16), valueSeconds);
            BitConverter.TryWriteBytes(setting.AsSpan(24), valueNanos);
            t.InjectSyscallWithBuffer("timerfd_settime", Nr.timerfd_settime, setting, at => [(ulong)fd, 0, at, 0]);
        }
        return fd;
    }

    /// <summary>An epoll set, its watches added by the numbers they had (every other descriptor is in place by then); <paramref name="notes"/> gets the watches that could not be made again.</summary>
    public static int Epoll(Tracee t, SavedDescriptor d, List<string> notes)
    {
        const int EPOLL_CTL_ADD = 1;
        int fd = (int)t.InjectSyscallChecked("epoll_create1", Nr.epoll_create1, 0);
        foreach (string line in d.Info!.Where(l => l.StartsWith("tfd:", StringComparison.Ordinal)))
        {
            // "tfd:        5 events:       19 data:                5  pos:0 ino:40f sdev:10"
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int target = int.Parse(words[1], CultureInfo.InvariantCulture);
            var watch = new byte[12];
            BitConverter.TryWriteBytes(watch.AsSpan(0), Convert.ToUInt32(words[3], 16));
            BitConverter.TryWriteBytes(watch.AsSpan(4), Convert.ToUInt64(words[5], 16));
            try
            {
                t.InjectSyscallWithBuffer("epoll_ctl", Nr.epoll_ctl, watch, at => [(ulong)fd, EPOLL_CTL_ADD, (ulong)target, at]);
            }
            catch (Linux.ErrnoException e)
            {
                notes.Add($"{d.Describe()}: its watch of fd {target} is gone ({e.Message})");
            }
        }
        return fd;
    }

    /// <summary>
    /// An inotify descriptor with its watches under the numbers they had. The kernel gives watch
    /// numbers in turn, never one just freed (idr_alloc_cyclic in fs/notify/inotify/inotify_user.c),
    /// so a number past a gap is reached by adding the watch and removing it again until it
    /// gets its number. Each removal queues an IN_IGNORED event, which the caller reads away
    /// before the program runs: the descriptor is made non-blocking for that (its own flags are
    /// set after).
    /// </summary>
    public static int Inotify(Tracee t, SavedDescriptor d, List<string> notes)
    {
        const int IN_NONBLOCK = O_NONBLOCK, IN_DONT_FOLLOW = 0x2000000, MaxSkipped = 4096;
        int fd = (int)t.InjectSyscallChecked("inotify_init1", Nr.inotify_init1, IN_NONBLOCK);
        foreach (var watch in d.Watches!)
        {
            // The path names the watched file itself, even if it is a symbolic link.
            byte[] path = [.. System.Text.Encoding.UTF8.GetBytes(watch.Path), 0];
            long Add() => t.InjectSyscallWithBuffer($"inotify_add_watch({watch.Path})", Nr.inotify_add_watch, path, at => [(ulong)fd, at, watch.Mask | IN_DONT_FOLLOW]).Result;
            long wd = Add();
            for (int skipped = 0; wd < watch.Wd && skipped < MaxSkipped; skipped++)
            {
                t.InjectSyscallChecked("inotify_rm_watch", Nr.inotify_rm_watch, (ulong)fd, (ulong)wd);
                wd = Add();
            }
            if (wd != watch.Wd)
            {
                notes.Add($"{d.Describe()}: the watch of {watch.Path} is number {wd}, not {watch.Wd}");
            }
        }
        return fd;
    }

    /// <summary>A socket bound again to its saved address ("tcp://0.0.0.0:8080"), listening if TCP.</summary>
    public static int Listener(Tracee t, SavedDescriptor d)
    {
        const int AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOL_SOCKET = 1, SO_REUSEADDR = 2, SOMAXCONN = 4096;
        var uri = new Uri(d.Address!);
        bool tcp = uri.Scheme == "tcp";
        var ip = IPAddress.Parse(uri.Host.Trim('[', ']'));
        bool v6 = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        int fd = (int)t.InjectSyscallChecked("socket", Nr.socket, (ulong)(v6 ? AF_INET6 : AF_INET), (ulong)(tcp ? SOCK_STREAM : SOCK_DGRAM), 0);
        t.InjectSyscallWithBuffer("setsockopt", Nr.setsockopt, BitConverter.GetBytes(1), at => [(ulong)fd, SOL_SOCKET, SO_REUSEADDR, at, 4]);
        // struct sockaddr_in (16 bytes) or sockaddr_in6 (28): family, port in network order, address.
        var address = new byte[v6 ? 28 : 16];
        BitConverter.TryWriteBytes(address.AsSpan(0), (ushort)(v6 ? AF_INET6 : AF_INET));
        address[2] = (byte)(uri.Port >> 8);
        address[3] = (byte)uri.Port;
        ip.GetAddressBytes().CopyTo(address, v6 ? 8 : 4);
        t.InjectSyscallWithBuffer($"bind to {d.Address}", Nr.bind, address, at => [(ulong)fd, at, (ulong)address.Length]);
        if (tcp)
        {
            t.InjectSyscallChecked("listen", Nr.listen, (ulong)fd, SOMAXCONN);
        }
        return fd;
    }

    private static string Field(SavedDescriptor d, string name) =>
        Linux.FdInfo.Field(d.Info!, name) ?? throw new RewindException($"{d.Describe()}: the image lacks its {name}");

    /// <summary>"(0, 95236578)": seconds and nanoseconds.</summary>
    private static (long Seconds, long Nanos) Pair(string text)
    {
        var parts = text.Trim('(', ')').Split(',');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
