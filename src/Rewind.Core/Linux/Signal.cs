namespace Rewind.Linux;

/// <summary>Signal numbers of x86-64 Linux and how a shell names them.</summary>
public static class Signal
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
        SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
        SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGWINCH = 28,
        SIGSYS = 31;

    private static readonly string[] Names =
    [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    // What bash prints when a job dies of the signal (strsignal's text).
    private static readonly string[] Descriptions =
    [
        "", "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap", "Aborted", "Bus error",
        "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
        "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued", "Stopped (signal)",
        "Stopped", "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded",
        "File size limit exceeded", "Virtual timer expired", "Profiling timer expired", "Window changed",
        "I/O possible", "Power failure", "Bad system call",
    ];

    public static string Name(int signal) =>
        signal > 0 && signal < Names.Length ? Names[signal] : signal >= 34 && signal <= 64 ? $"SIGRT{signal - 34}" : $"signal {signal}";

    public static string Description(int signal) =>
        signal > 0 && signal < Descriptions.Length ? Descriptions[signal] : $"Real-time signal {signal - 34}";

    /// <summary>
    /// Signals raised for the instruction that is running (a fault, not a message): by the CPU, or
    /// by a seccomp filter of the program's that traps the syscall (SIGSYS, SYS_SECCOMP).
    /// </summary>
    public static bool IsSynchronousFault(int signal, int siCode) =>
        siCode > 0 && signal is SIGSEGV or SIGBUS or SIGILL or SIGFPE or SIGTRAP
        || signal == SIGSEGV && siCode == SiKernel
        || signal == SIGSYS && siCode == SysSeccomp;

    /// <summary>
    /// Whether <paramref name="signal"/> is a real-time one (SIGRTMIN, 32, to 64; glibc keeps the
    /// first two): the kernel queues each instance it is sent, where it keeps one of a standard signal.
    /// </summary>
    public static bool IsRealTime(int signal) => signal >= 32;

    /// <summary>SIGSYS's si_code for a seccomp filter's SECCOMP_RET_TRAP.</summary>
    public const int SysSeccomp = 1;

    public const int SiKernel = 0x80;

    /// <summary>SIGTRAP's si_code for the end of a single step.</summary>
    public const int TrapTrace = 2;

    /// <summary>
    /// Signals whose default action leaves the process as it was: ignore (SIGCHLD, SIGURG,
    /// SIGWINCH), continue (SIGCONT) or stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU).
    /// </summary>
    public static bool IsHarmlessByDefault(int signal) =>
        signal is SIGCHLD or SIGURG or SIGWINCH or SIGCONT or SIGSTOP or SIGTSTP or SIGTTIN or SIGTTOU;
}
