using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    internal const int O_NOCTTY = 0x100;
    internal const int SIG_BLOCK = 0, SIG_SETMASK = 2;

    /// <summary>ioctl_tty(2): the kernel's struct termios (asm-generic/termbits.h, 36 bytes), read and set now.</summary>
    internal const uint TCGETS = 0x5401, TCSETS = 0x5402;
    internal const int TermiosSize = 36;

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int ioctl(SafeHandle fd, nuint request, byte* argument);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int tcgetpgrp(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int tcsetpgrp(int fd, int pgrp);

    [LibraryImport(Libc)]
    internal static partial int getpgrp();

    [LibraryImport(Libc)]
    internal static unsafe partial int pthread_sigmask(int how, ulong* set, ulong* old);

    /// <summary>
    /// Makes a change of a terminal (tcsetpgrp, TCSETS) from a process that may be outside its
    /// foreground group, which the kernel allows only with SIGTTOU blocked or ignored
    /// (tty_check_change in drivers/tty/tty_jobctrl.c; tcsetpgrp(3)): blocked on this thread for the call.
    /// </summary>
    internal static unsafe int OutsideForeground(Func<int> change)
    {
        ulong block = 1UL << (Signal.SIGTTOU - 1), old;
        _ = pthread_sigmask(SIG_BLOCK, &block, &old);
        try
        {
            return change();
        }
        finally
        {
            _ = pthread_sigmask(SIG_SETMASK, &old, null);
        }
    }
}
