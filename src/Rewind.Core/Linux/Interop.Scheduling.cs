using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    [LibraryImport(Libc)]
    internal static partial int sched_getcpu();

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int sched_setaffinity(int pid, nint size, ulong* mask);

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int sched_getaffinity(int pid, nint size, ulong* mask);
}
