using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    internal const int PTRACE_GET_SYSCALL_INFO = 0x420e;
    internal const int PTRACE_GET_RSEQ_CONFIGURATION = 0x420f;
    internal const byte PTRACE_SYSCALL_INFO_ENTRY = 1;
    internal const byte PTRACE_SYSCALL_INFO_EXIT = 2;
    internal const byte PTRACE_SYSCALL_INFO_SECCOMP = 3;

    internal const int PR_SET_NAME = 15;
    internal const int PR_SET_TSC = 26;
    internal const int PR_TSC_SIGSEGV = 2;
    internal const int PR_SET_NO_NEW_PRIVS = 38;
    internal const int SECCOMP_SET_MODE_FILTER = 1;
    internal const int ADDR_NO_RANDOMIZE = 0x0040000;

    /// <summary>arch_prctl(2)'s CPUID faulting switch (asm/prctl.h): ARCH_SET_CPUID 0 makes CPUID raise SIGSEGV; ARCH_GET_CPUID returns 1 where CPUID runs.</summary>
    internal const int ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;

    internal const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    internal const int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
    internal const int MAP_GROWSDOWN = 0x100, MAP_NORESERVE = 0x4000, MAP_FIXED_NOREPLACE = 0x100000;
    internal const int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    internal const int MADV_DONTFORK = 10, MADV_DOFORK = 11;

    internal const long SYS_kcmp = 312, SYS_pidfd_open = 434, SYS_pidfd_getfd = 438;
    internal const long SYS_read = 0, SYS_write = 1, SYS_fcntl = 72, SYS_tee = 276, SYS_pipe2 = 293, SYS_prlimit64 = 302;
    internal const long SYS_rt_sigqueueinfo = 129, SYS_rt_tgsigqueueinfo = 297;
    internal const int O_NONBLOCK = 0x800;

    [LibraryImport(Libc, SetLastError = true)]
    private static unsafe partial int clock_gettime(int clock, long* timespec);

    /// <summary>Reads <paramref name="clock"/> (clock_gettime(2)); false where it cannot be read (the CPU clock of a process that is gone).</summary>
    internal static unsafe bool ReadClock(int clock, out long seconds, out long nanoseconds)
    {
        long* timespec = stackalloc long[2];
        bool read = clock_gettime(clock, timespec) == 0;
        (seconds, nanoseconds) = (timespec[0], timespec[1]);
        return read;
    }

    [LibraryImport(Libc, SetLastError = true)]
    private static unsafe partial int poll(long* fds, nuint count, int timeout);

    /// <summary>Waits up to <paramref name="milliseconds"/> for <paramref name="fd"/> to be readable (a pidfd: its process ended); returns whether it is.</summary>
    internal static unsafe bool PollReadable(int fd, int milliseconds)
    {
        const short POLLIN = 1;
        // struct pollfd: int fd, short events, short revents.
        long entry = (uint)fd | (long)POLLIN << 32;
        return poll(&entry, 1, milliseconds) > 0;
    }

    /// <summary>A raw system call, for those libc has no wrapper for (integer arguments only).</summary>
    [LibraryImport(Libc, SetLastError = true)]
    internal static partial long syscall(long number, long a1, long a2, long a3 = 0, long a4 = 0, long a5 = 0);
}
