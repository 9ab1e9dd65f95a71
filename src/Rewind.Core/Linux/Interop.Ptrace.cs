using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    internal const int PTRACE_CONT = 7;
    internal const int PTRACE_KILL = 8;
    internal const int PTRACE_SINGLESTEP = 9;
    internal const int PTRACE_GETREGS = 12;
    internal const int PTRACE_SETREGS = 13;
    internal const int PTRACE_POKEUSER = 6;
    internal const int PTRACE_PEEKUSER = 3;
    internal const int PTRACE_DETACH = 17;
    internal const int PTRACE_SYSCALL = 24;
    internal const int PTRACE_SETOPTIONS = 0x4200;
    internal const int PTRACE_GETEVENTMSG = 0x4201;
    internal const int PTRACE_GETSIGINFO = 0x4202;
    internal const int PTRACE_SETSIGINFO = 0x4203;
    internal const int PTRACE_GETREGSET = 0x4204;
    internal const int PTRACE_SETREGSET = 0x4205;
    internal const int PTRACE_SEIZE = 0x4206;
    internal const int PTRACE_INTERRUPT = 0x4207;
    internal const int PTRACE_LISTEN = 0x4208;
    internal const int PTRACE_PEEKSIGINFO = 0x4209;
    internal const int PTRACE_PEEKSIGINFO_SHARED = 1;
    internal const int PTRACE_GETSIGMASK = 0x420a;
    internal const int PTRACE_SETSIGMASK = 0x420b;

    internal const int NT_X86_XSTATE = 0x202;

    internal const int PTRACE_O_TRACESYSGOOD = 0x1;
    internal const int PTRACE_O_TRACEFORK = 0x2;
    internal const int PTRACE_O_TRACEVFORK = 0x4;
    internal const int PTRACE_O_TRACECLONE = 0x8;
    internal const int PTRACE_O_TRACEEXEC = 0x10;
    internal const int PTRACE_O_TRACESECCOMP = 0x80;
    internal const int PTRACE_O_EXITKILL = 0x100000;

    internal const int __WALL = 0x40000000;
    /// <summary>Waits only for the calling thread's children and tracees, never for another thread's (a child the runtime's Process started, say).</summary>
    internal const int __WNOTHREAD = 0x20000000;
    internal const int WUNTRACED = 2;
    internal const int WNOHANG = 1;

    // glibc declares ptrace variadic; its arguments are all integers, so a fixed signature is
    // what the x86-64 calling convention passes anyway.
    [LibraryImport(Libc, SetLastError = true)]
    internal static partial long ptrace(long request, int pid, nint addr, nint data);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int waitpid(int pid, out int status, int options);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int kill(int pid, int sig);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int tgkill(int tgid, int tid, int sig);

    [LibraryImport(Libc, SetLastError = true)]
    internal static partial int getpid();
}
