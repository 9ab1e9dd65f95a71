namespace Rewind.Linux;

/// <summary>The errno values the engine acts on (errno(3), asm-generic/errno-base.h).</summary>
public static class Errno
{
    public const int ESRCH = 3, EINTR = 4, ENOSYS = 38;
}
