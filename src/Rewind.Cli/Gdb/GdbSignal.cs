using Rewind.Linux;

namespace Rewind.Cli.Gdb;

/// <summary>
/// gdb's own signal numbers (include/gdb/signals.def), which the remote protocol uses: they
/// match Linux's up to SIGTERM only (SIGCHLD 17 is gdb's SIGSTOP, SIGUSR1 10 its SIGBUS).
/// </summary>
internal static class GdbSignal
{
    private const int Unknown = 143, Realtime32 = 77, Realtime33 = 45, Realtime64 = 78;

    // Linux 0-31 to gdb; SIGSTKFLT (16) has no gdb number.
    private static readonly int[] Classic =
    [
        0, 1, 2, 3, 4, 5, 6, 10, 8, 9, 30, 11, 31, 13, 14, 15,
        Unknown, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12,
    ];

    public static int FromLinux(int signal) => signal switch
    {
        >= 0 and < 32 => Classic[signal],
        32 => Realtime32,
        >= 33 and <= 63 => Realtime33 + signal - 33,
        64 => Realtime64,
        _ => Unknown,
    };
}
