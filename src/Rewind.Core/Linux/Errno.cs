namespace Rewind.Linux;

/// <summary>The errno values the engine acts on (errno(3), asm-generic/errno-base.h).</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EAGAIN = 11, EINVAL = 22, ENOSYS = 38, ERESTART_RESTARTBLOCK = 516;

    /// <summary>ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK: kernel-internal results, seen only by tracers.</summary>
    public static bool IsRestart(long result) => result is >= -ERESTART_RESTARTBLOCK and <= -512;

    /// <summary>Whether a raw syscall result is an error, -errno: -4095 to -1. Any other value is a result, even one negative as a long (an address high in memory).</summary>
    public static bool IsError(long result) => result is < 0 and > -4096;
}
