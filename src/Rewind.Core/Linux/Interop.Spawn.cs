using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    internal const short POSIX_SPAWN_SETPGROUP = 0x02;
    internal const short POSIX_SPAWN_SETSIGDEF = 0x04;
    internal const short POSIX_SPAWN_SETSIGMASK = 0x08;

    // glibc's posix_spawnattr_t is 336 bytes and sigset_t 128; both are opaque to us.
    internal const int SpawnAttrSize = 512;
    internal const int SigsetSize = 128;

    [LibraryImport(Libc)]
    internal static unsafe partial int posix_spawn(out int pid, byte* path, nint fileActions, nint attr, byte** argv, byte** envp);

    [LibraryImport(Libc)]
    internal static partial int posix_spawnattr_init(nint attr);

    [LibraryImport(Libc)]
    internal static partial int posix_spawnattr_destroy(nint attr);

    [LibraryImport(Libc)]
    internal static partial int posix_spawnattr_setflags(nint attr, short flags);

    [LibraryImport(Libc)]
    internal static partial int posix_spawnattr_setpgroup(nint attr, int pgroup);

    [LibraryImport(Libc)]
    internal static partial int posix_spawnattr_setsigmask(nint attr, nint sigset);

    [LibraryImport(Libc)]
    internal static partial int posix_spawnattr_setsigdefault(nint attr, nint sigset);

    internal const int SS_DISABLE = 2;

    /// <summary>stack_t (sigaltstack(2)).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct AltStack
    {
        public nint Sp;
        public int Flags;
        public nint Size;
    }

    [LibraryImport(Libc, SetLastError = true)]
    internal static unsafe partial int sigaltstack(AltStack* stack, AltStack* old);
}
