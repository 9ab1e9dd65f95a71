using System.Buffers.Binary;
using Rewind.Trace;
using static Rewind.Cli.Dump.Arg;

namespace Rewind.Cli.Dump;

/// <summary>
/// A syscall event as strace prints it: `openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`.
/// The common syscalls have their arguments decoded and only those they take; the others show
/// six in hex. A path is a string where the trace holds it (format 3), a buffer the kernel
/// filled is its recorded data; the program's own buffers (a write's) stay pointers.
/// </summary>
internal static class SyscallFormatter
{
    private const int O_CREAT = 0x40, O_TMPFILE = 0x410000, AT_FDCWD = -100;

    private static readonly Dictionary<string, Arg[]> Signatures = new()
    {
        ["read"] = [Int, ReadBuffer, Size], ["write"] = [Int, WriteBuffer, Size], ["pread64"] = [Int, ReadBuffer, Size, Long],
        ["pwrite64"] = [Int, Pointer, Size, Long], ["open"] = [FilePath, OpenFlags, Mode], ["openat"] = [DirFd, FilePath, OpenFlags, Mode],
        ["creat"] = [FilePath, Mode], ["close"] = [Int], ["stat"] = [FilePath, Stat], ["lstat"] = [FilePath, Stat], ["fstat"] = [Int, Stat],
        ["newfstatat"] = [DirFd, FilePath, Stat, AtFlags], ["statx"] = [DirFd, FilePath, AtFlags, Hex, Pointer], ["lseek"] = [Int, Long, Whence],
        ["mmap"] = [Pointer, Size, Prot, MapFlags, Int, Hex], ["mprotect"] = [Pointer, Size, Prot], ["munmap"] = [Pointer, Size],
        ["brk"] = [Pointer], ["access"] = [FilePath, AccessMode], ["faccessat"] = [DirFd, FilePath, AccessMode], ["faccessat2"] = [DirFd, FilePath, AccessMode, AtFlags],
        ["readlink"] = [FilePath, ReadBuffer, Size], ["readlinkat"] = [DirFd, FilePath, ReadBuffer, Size], ["execve"] = [FilePath, Pointer, Pointer],
        ["exit"] = [Int], ["exit_group"] = [Int], ["getdents64"] = [Int, Pointer, Size], ["ioctl"] = [Int, Hex, Pointer],
        ["fcntl"] = [Int, Int, Hex], ["dup"] = [Int], ["dup2"] = [Int, Int], ["dup3"] = [Int, Int, OpenFlags], ["pipe2"] = [Pointer, OpenFlags],
        ["unlink"] = [FilePath], ["unlinkat"] = [DirFd, FilePath, AtFlags], ["mkdir"] = [FilePath, Mode], ["mkdirat"] = [DirFd, FilePath, Mode],
        ["rmdir"] = [FilePath], ["rename"] = [FilePath, FilePath], ["renameat"] = [DirFd, FilePath, DirFd, FilePath], ["renameat2"] = [DirFd, FilePath, DirFd, FilePath, Hex],
        ["chdir"] = [FilePath], ["fchdir"] = [Int], ["chmod"] = [FilePath, Mode], ["fchmod"] = [Int, Mode], ["fchmodat"] = [DirFd, FilePath, Mode],
        ["truncate"] = [FilePath, Long], ["ftruncate"] = [Int, Long], ["symlink"] = [FilePath, FilePath], ["link"] = [FilePath, FilePath],
        ["rt_sigaction"] = [SignalNumber, Pointer, Pointer, Size], ["rt_sigprocmask"] = [SigprocmaskHow, Pointer, Pointer, Size],
        ["kill"] = [Int, SignalNumber], ["tgkill"] = [Int, Int, SignalNumber], ["tkill"] = [Int, SignalNumber], ["getpid"] = [], ["gettid"] = [],
        ["getppid"] = [], ["getuid"] = [], ["geteuid"] = [], ["getgid"] = [], ["getegid"] = [], ["sched_yield"] = [],
        ["clock_gettime"] = [ClockId, Pointer], ["clock_nanosleep"] = [ClockId, Hex, Pointer, Pointer], ["nanosleep"] = [Pointer, Pointer],
        ["futex"] = [Pointer, FutexOp, Int, Pointer, Pointer, Int], ["getrandom"] = [ReadBuffer, Size, Hex], ["uname"] = [Pointer],
        ["arch_prctl"] = [Hex, Pointer], ["set_tid_address"] = [Pointer], ["set_robust_list"] = [Pointer, Size], ["prctl"] = [Int, Hex, Hex, Hex, Hex],
        ["wait4"] = [Int, Pointer, Hex, Pointer], ["clone"] = [Hex, Pointer, Pointer, Pointer, Hex], ["clone3"] = [Pointer, Size],
        ["socket"] = [Int, Hex, Int], ["connect"] = [Int, Pointer, Size], ["bind"] = [Int, Pointer, Size], ["listen"] = [Int, Int],
        ["accept4"] = [Int, Pointer, Pointer, Hex], ["sendto"] = [Int, Pointer, Size, Hex, Pointer, Size], ["recvfrom"] = [Int, ReadBuffer, Size, Hex, Pointer, Pointer],
        ["madvise"] = [Pointer, Size, Int], ["mremap"] = [Pointer, Size, Size, Hex, Pointer],
        ["rseq"] = [Pointer, Size, Hex, Hex], ["prlimit64"] = [Int, Int, Pointer, Pointer], ["sysinfo"] = [Pointer], ["poll"] = [Pointer, Int, Int],
        ["epoll_wait"] = [Int, Pointer, Int, Int], ["pipe"] = [Pointer], ["umask"] = [Mode], ["getcwd"] = [ReadBuffer, Size],
        ["shmget"] = [Hex, Size, Hex], ["shmat"] = [Int, Pointer, Hex], ["shmdt"] = [Pointer], ["shmctl"] = [Int, Int, Pointer],
    };

    private static readonly (ulong, string)[] OpenFlagNames =
    [
        (0x40, "O_CREAT"), (0x80, "O_EXCL"), (0x100, "O_NOCTTY"), (0x200, "O_TRUNC"), (0x400, "O_APPEND"), (0x800, "O_NONBLOCK"),
        (0x101000, "O_SYNC"), (0x1000, "O_DSYNC"), (0x2000, "O_ASYNC"), (0x4000, "O_DIRECT"), (0x8000, "O_LARGEFILE"),
        (0x410000, "O_TMPFILE"), (0x10000, "O_DIRECTORY"), (0x20000, "O_NOFOLLOW"), (0x40000, "O_NOATIME"), (0x80000, "O_CLOEXEC"), (0x200000, "O_PATH"),
    ];

    private static readonly (ulong, string)[] ProtNames = [(1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC"), (0x1000000, "PROT_GROWSDOWN"), (0x2000000, "PROT_GROWSUP")];

    private static readonly (ulong, string)[] MapNames =
    [
        (3, "MAP_SHARED_VALIDATE"), (1, "MAP_SHARED"), (2, "MAP_PRIVATE"), (0x10, "MAP_FIXED"), (0x20, "MAP_ANONYMOUS"), (0x100, "MAP_GROWSDOWN"),
        (0x800, "MAP_DENYWRITE"), (0x1000, "MAP_EXECUTABLE"), (0x2000, "MAP_LOCKED"), (0x4000, "MAP_NORESERVE"), (0x8000, "MAP_POPULATE"),
        (0x10000, "MAP_NONBLOCK"), (0x20000, "MAP_STACK"), (0x40000, "MAP_HUGETLB"), (0x80000, "MAP_SYNC"), (0x100000, "MAP_FIXED_NOREPLACE"),
    ];

    private static readonly (ulong, string)[] AccessNames = [(4, "R_OK"), (2, "W_OK"), (1, "X_OK")];

    private static readonly (ulong, string)[] AtFlagNames =
        [(0x100, "AT_SYMLINK_NOFOLLOW"), (0x200, "AT_REMOVEDIR"), (0x400, "AT_SYMLINK_FOLLOW"), (0x800, "AT_NO_AUTOMOUNT"), (0x1000, "AT_EMPTY_PATH")];

    private static readonly string[] ClockNames =
        ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME"];

    private static readonly string[] FutexOps =
        ["FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET"];

    /// <summary>The arguments the syscall takes, decoded; null for a syscall this table does not know.</summary>
    public static string? Arguments(SyscallEvent s)
    {
        if (!Signatures.TryGetValue(s.Name, out var kinds))
        {
            return null;
        }
        int path = 0;
        var shown = new string[kinds.Length];
        for (int i = 0; i < kinds.Length; i++)
        {
            shown[i] = One(s, kinds[i], s.Args[i], kinds[i] == FilePath ? path++ : 0, kinds);
        }
        // An argument shown as nothing is one the call ignores (open's mode without O_CREAT).
        return string.Join(", ", shown.Where(a => a.Length > 0));
    }

    /// <summary>The whole call: name, arguments (all six in hex for an unknown syscall), result.</summary>
    public static string Format(SyscallEvent s) =>
        $"{s.Name}({Arguments(s) ?? string.Join(", ", s.Args.Select(a => $"0x{a:x}"))}) = {Result(s)}";

    /// <summary>The result: an error by name and text, an address in hex, else a decimal.</summary>
    public static string Result(SyscallEvent s) => s.Result switch
    {
        // They do not return: the recorded rax is the entry's.
        _ when s.Name is "exit" or "exit_group" => "?",
        < 0 and > -4096 => ErrnoNames.Failure((int)-s.Result),
        _ when s.Name is "mmap" or "brk" or "mremap" or "shmat" => $"0x{s.Result:x}",
        _ => Decimal(s.Result),
    };

    private static string One(SyscallEvent s, Arg kind, ulong value, int pathIndex, Arg[] kinds) => kind switch
    {
        Int => Decimal((int)value),
        Long => Decimal((long)value),
        Size => Decimal(value),
        DirFd => (int)value == AT_FDCWD ? "AT_FDCWD" : Decimal((int)value),
        FilePath => s.Paths is { } paths && pathIndex < paths.Count ? StraceText.Path(paths[pathIndex]) : StraceText.Hex(value),
        ReadBuffer => Filled(s, value),
        Mode when kinds.Contains(OpenFlags) => HasMode(s, kinds) ? $"0{Convert.ToString((long)value & 0xfff, 8)}" : "",
        Mode => $"0{Convert.ToString((long)value & 0xfff, 8)}",
        OpenFlags => Open(value),
        AccessMode => StraceText.Flags(value, AccessNames, "F_OK"),
        AtFlags => StraceText.Flags(value, AtFlagNames),
        Prot => StraceText.Flags(value, ProtNames, "PROT_NONE"),
        MapFlags => StraceText.Flags(value, MapNames),
        SignalNumber => value is > 0 and < 65 ? Linux.Signal.Name((int)value) : Decimal(value),
        Stat => StatOf(s, value),
        Whence => value switch { 0 => "SEEK_SET", 1 => "SEEK_CUR", 2 => "SEEK_END", 3 => "SEEK_DATA", 4 => "SEEK_HOLE", _ => Decimal(value) },
        SigprocmaskHow => value switch { 0 => "SIG_BLOCK", 1 => "SIG_UNBLOCK", 2 => "SIG_SETMASK", _ => Decimal(value) },
        ClockId => value < (ulong)ClockNames.Length ? ClockNames[value] : Decimal(value),
        FutexOp => Futex(value),
        Hex => value == 0 ? "0" : $"0x{value:x}",
        WriteBuffer => s.Output is { } written ? StraceText.Quote(written.Data) : StraceText.Hex(value),
        _ => StraceText.Hex(value),
    };

    private static string Decimal<T>(T value) where T : IFormattable => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

    private static bool HasMode(SyscallEvent s, Arg[] kinds)
    {
        ulong flags = s.Args[Array.IndexOf(kinds, OpenFlags)];
        return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
    }

    private static string Open(ulong value)
    {
        string access = (value & 3) switch { 0 => "O_RDONLY", 1 => "O_WRONLY", 2 => "O_RDWR", _ => "O_ACCMODE" };
        ulong rest = value & ~3UL;
        return rest == 0 ? access : $"{access}|{StraceText.Flags(rest, OpenFlagNames)}";
    }

    private static string Futex(ulong value)
    {
        const ulong Private = 128, Realtime = 256;
        ulong op = value & ~(Private | Realtime);
        string name = op < (ulong)FutexOps.Length ? FutexOps[op] : $"0x{op:x}";
        return name + ((value & Private) != 0 ? "_PRIVATE" : "") + ((value & Realtime) != 0 ? "|FUTEX_CLOCK_REALTIME" : "");
    }

    /// <summary>The data the kernel wrote at <paramref name="address"/> (result bytes of it), as strace quotes a read's buffer.</summary>
    private static string Filled(SyscallEvent s, ulong address)
    {
        if (s.Result == 0)
        {
            return "\"\"";
        }
        if (s.Result < 0 || s.Writes.FirstOrDefault(w => w.Address.Value == address) is not { } write)
        {
            return StraceText.Hex(address);
        }
        int length = (int)Math.Min(write.Data.Length, s.Result);
        return StraceText.Quote(write.Data.AsSpan(0, length));
    }

    /// <summary>struct stat (x86-64: st_mode at 24, st_size at 48) as strace abbreviates it.</summary>
    private static string StatOf(SyscallEvent s, ulong address)
    {
        if (s.Result != 0 || s.Writes.FirstOrDefault(w => w.Address.Value == address) is not { Data.Length: >= 56 } write)
        {
            return StraceText.Hex(address);
        }
        uint mode = BinaryPrimitives.ReadUInt32LittleEndian(write.Data.AsSpan(24));
        long size = BinaryPrimitives.ReadInt64LittleEndian(write.Data.AsSpan(48));
        string type = (mode & 0xf000) switch
        {
            0x8000 => "S_IFREG", 0x4000 => "S_IFDIR", 0x2000 => "S_IFCHR", 0x6000 => "S_IFBLK", 0x1000 => "S_IFIFO", 0xa000 => "S_IFLNK", 0xc000 => "S_IFSOCK", _ => "0",
        };
        string sizeOrDevice = (mode & 0xf000) is 0x2000 or 0x6000
            ? $"st_rdev=makedev(0x{DeviceMajor(write.Data):x}, 0x{DeviceMinor(write.Data):x})"
            : $"st_size={size}";
        return $"{{st_mode={type}|0{Convert.ToString(mode & 0xfff, 8)}, {sizeOrDevice}, ...}}";
    }

    // dev_t's encoding (glibc's gnu_dev_major/minor).
    private static ulong DeviceMajor(byte[] stat)
    {
        ulong dev = BinaryPrimitives.ReadUInt64LittleEndian(stat.AsSpan(40));
        return ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
    }

    private static ulong DeviceMinor(byte[] stat)
    {
        ulong dev = BinaryPrimitives.ReadUInt64LittleEndian(stat.AsSpan(40));
        return (dev & 0xff) | ((dev >> 12) & ~0xffUL);
    }
}
