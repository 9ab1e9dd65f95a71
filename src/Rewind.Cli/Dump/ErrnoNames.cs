using System.Runtime.InteropServices;

namespace Rewind.Cli.Dump;

/// <summary>Linux errno numbers by name (asm-generic/errno-base.h, errno.h), and their strerror text, as strace prints them.</summary>
internal static class ErrnoNames
{
    private static readonly string[] Names =
    [
        "", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES",
        "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY",
        "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS",
        "ENOTEMPTY", "ELOOP", "", "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT",
        "EBADE", "EBADR", "EXFULL", "ENOANO", "EBADRQC", "EBADSLT", "", "EBFONT", "ENOSTR", "ENODATA", "ETIME", "ENOSR", "ENONET",
        "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT", "ECOMM", "EPROTO", "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ",
        "EBADFD", "EREMCHG", "ELIBACC", "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS",
        "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP",
        "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED",
        "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN",
        "EHOSTUNREACH", "EALREADY", "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO", "EDQUOT",
        "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED", "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD",
        "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON",
    ];

    /// <summary>The kernel's own restart codes (include/linux/errno.h), which only a tracer sees.</summary>
    private static readonly Dictionary<int, (string Name, string Text)> Restarts = new()
    {
        [512] = ("ERESTARTSYS", "To be restarted if SA_RESTART is set"),
        [513] = ("ERESTARTNOINTR", "To be restarted"),
        [514] = ("ERESTARTNOHAND", "To be restarted if no handler"),
        [515] = ("ENOIOCTLCMD", "Unknown ioctl command"),
        [516] = ("ERESTART_RESTARTBLOCK", "Interrupted by signal"),
    };

    public static string Name(int errno) =>
        errno > 0 && errno < Names.Length && Names[errno].Length > 0 ? Names[errno]
        : Restarts.TryGetValue(errno, out var r) ? r.Name : $"errno {errno}";

    public static string Text(int errno) =>
        Restarts.TryGetValue(errno, out var r) ? r.Text : Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>A failed syscall's result as strace shows it: "-1 ENOENT (No such file or directory)"; restarts as "? ERESTARTSYS (…)".</summary>
    public static string Failure(int errno) => $"{(Restarts.ContainsKey(errno) ? "?" : "-1")} {Name(errno)} ({Text(errno)})";
}
