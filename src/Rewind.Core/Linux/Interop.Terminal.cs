using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    internal const int O_NOCTTY = 0x100;
    internal const int SIG_BLOCK = 0, SIG_SETMASK = 2;

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int tcgetpgrp(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int tcsetpgrp(int fd, int pgrp);

    [LibraryImport(Libc)]
    internal static partial int getpgrp();

    [LibraryImport(Libc)]
    internal static unsafe partial int pthread_sigmask(int how, ulong* set, ulong* old);
}
