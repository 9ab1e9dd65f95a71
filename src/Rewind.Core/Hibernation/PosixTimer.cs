using System.Globalization;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// A POSIX timer (timer_create(2)) as /proc/PID/timers shows it and timer_gettime reads it in
/// the process: its id, which the program holds as its timer_t (glibc hands out the kernel's
/// id, or for SIGEV_THREAD a pointer to its own record of it), its clock, how it notifies, and
/// the time it had left. Resume makes it again under the same id (<see cref="PosixTimerRestore"/>).
/// </summary>
/// <param name="Clock">
/// the clock id as the kernel keeps it: a CPU-time clock of a process or thread is negative,
/// (~pid &lt;&lt; 3) | 4 for a thread | the kind, pid 0 for the caller's (clock_getcpuclockid(3));
/// glibc asks CLOCK_PROCESS_CPUTIME_ID as the caller's process clock, -6.
/// </param>
/// <param name="Notify">sigev_notify: SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD 2, plus SIGEV_THREAD_ID 4 for a signal to one thread.</param>
/// <param name="SignalValue">sigev_value, which the signal carries in si_value.</param>
/// <param name="Thread">the thread a SIGEV_THREAD_ID timer signals, else 0.</param>
/// <param name="ValueNanos">the time left, 0 when disarmed; on a CPU-time clock, CPU time.</param>
/// <param name="IntervalNanos">the period, 0 for a one-shot timer.</param>
public sealed record PosixTimer(int Id, int Clock, int Notify, int Signal, ulong SignalValue, int Thread, long ValueNanos, long IntervalNanos)
{
    internal const int SIGEV_NONE = 1, SIGEV_THREAD_ID = 4, CLOCK_THREAD_CPUTIME_ID = 3, CpuClockOfThread = 4;

    /// <summary>
    /// The timers of process <paramref name="pid"/>, from /proc/PID/timers and timer_gettime
    /// injected into its first thread of <paramref name="threads"/>, which is stopped; and why one
    /// of them could not come back, in words, or null.
    /// </summary>
    internal static (List<PosixTimer> Timers, string? Problem) Read(int pid, IReadOnlyList<Tracee> threads)
    {
        // Without CONFIG_CHECKPOINT_RESTORE the kernel shows no timers file.
        string path = $"/proc/{pid}/timers";
        var timers = File.Exists(path) ? Parse(File.ReadAllLines(path)).Select(t => t.WithTimeLeft(threads[0])).OrderBy(t => t.Id).ToList() : [];
        var tids = threads.Select(t => t.Pid).ToHashSet();
        return (timers, timers.Select(t => t.Problem(pid, tids)).FirstOrDefault(p => p != null));
    }

    /// <summary>
    /// /proc/PID/timers as fs/proc/base.c (show_timer) writes it, four lines a timer: "ID: 3",
    /// "signal: 34/000055d0c0ffee00" (sigev_signo, then sigev_value in hex), "notify:
    /// signal/tid.4242" (none, signal or thread; then pid or tid, and its number), "ClockID: 1".
    /// </summary>
    internal static List<PosixTimer> Parse(IEnumerable<string> lines)
    {
        var timers = new List<PosixTimer>();
        PosixTimer? timer = null;
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string key = colon < 0 ? line : line[..colon], value = colon < 0 ? "" : line[(colon + 1)..].Trim();
            if (key == "ID")
            {
                timer = new PosixTimer(Number(value, line), 0, 0, 0, 0, 0, 0, 0);
                timers.Add(timer);
                continue;
            }
            if (timer == null)
            {
                throw Malformed(line);
            }
            timer = key switch
            {
                "signal" when value.Split('/') is [var signal, var sigval] && ulong.TryParse(sigval, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong sival)
                    => timer with { Signal = Number(signal, line), SignalValue = sival },
                "notify" when value.Split('/', '.') is [var mode, var target, var id] && Array.IndexOf(Modes, mode) is >= 0 and int notify && target is "pid" or "tid"
                    => timer with { Notify = notify | (target == "tid" ? SIGEV_THREAD_ID : 0), Thread = target == "tid" ? Number(id, line) : 0 },
                "ClockID" => timer with { Clock = Number(value, line) },
                _ => throw Malformed(line),
            };
            timers[^1] = timer;
        }
        return timers;
    }

    /// <summary>show_timer's names of sigev_notify without SIGEV_THREAD_ID, by value.</summary>
    private static readonly string[] Modes = ["signal", "none", "thread"];

    private static int Number(string text, string line) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n : throw Malformed(line);

    private static RewindException Malformed(string line) => new($"/proc/PID/timers has a line this rewind does not know: \"{line}\"");

    /// <summary>This timer with the time it has left and its interval, asked of the process.</summary>
    private PosixTimer WithTimeLeft(Tracee main)
    {
        // struct itimerspec: it_interval, then it_value, each seconds and nanoseconds.
        byte[] setting = main.InjectSyscallWithBuffer("timer_gettime", Nr.timer_gettime, new byte[32], at => [(ulong)Id, at]).Buffer;
        long Nanos(int at) => BitConverter.ToInt64(setting, at) * 1_000_000_000 + BitConverter.ToInt64(setting, at + 8);
        return this with { ValueNanos = Nanos(16), IntervalNanos = Nanos(0) };
    }

    /// <summary>The CPU-time clock's process or thread, 0 for the caller's own; null for another clock.</summary>
    internal int? CpuClockOwner => Clock < 0 ? ~(Clock >> 3) : null;

    private string CpuClockKind => (Clock & CpuClockOfThread) != 0 ? "thread" : "process";

    /// <summary>Whether the clock counts the CPU time of the thread that made the timer, which /proc/PID/timers does not name.</summary>
    private bool OnMakersThreadClock => Clock == CLOCK_THREAD_CPUTIME_ID || CpuClockOwner == 0 && (Clock & CpuClockOfThread) != 0;

    /// <summary>Why the timer could not come back, or null.</summary>
    private string? Problem(int pid, IReadOnlySet<int> tids)
    {
        if (OnMakersThreadClock && tids.Count > 1)
        {
            return $"{Describe()}: it counts the CPU time of the thread that made it, which /proc/PID/timers does not name, and the process has {tids.Count} threads";
        }
        if (CpuClockOwner is int owner and not 0 && (CpuClockKind == "thread" ? !tids.Contains(owner) : owner != pid))
        {
            return $"{Describe()}: that {CpuClockKind} is not hibernated with it";
        }
        return (Notify & SIGEV_THREAD_ID) != 0 && !tids.Contains(Thread) ? $"{Describe()}: the thread it signals is gone" : null;
    }

    /// <summary>The timer in words, as `rewind check` and `rewind info` list it.</summary>
    public string Describe()
    {
        string clock = Clock switch
        {
            0 => "CLOCK_REALTIME",
            1 => "CLOCK_MONOTONIC",
            2 => "CLOCK_PROCESS_CPUTIME_ID",
            CLOCK_THREAD_CPUTIME_ID => "CLOCK_THREAD_CPUTIME_ID",
            7 => "CLOCK_BOOTTIME",
            8 => "CLOCK_REALTIME_ALARM",
            9 => "CLOCK_BOOTTIME_ALARM",
            11 => "CLOCK_TAI",
            _ when CpuClockOwner is int owner => owner == 0 ? $"the CPU time of its own {CpuClockKind}" : $"the CPU time of {CpuClockKind} {owner}",
            _ => $"clock {Clock}",
        };
        string notify = (Notify & ~SIGEV_THREAD_ID) == SIGEV_NONE
            ? "no signal"
            : $"{Linux.Signal.Name(Signal)} with value 0x{SignalValue:x}{((Notify & SIGEV_THREAD_ID) != 0 ? $" to thread {Thread}" : "")}";
        string left = ValueNanos == 0 ? "disarmed" : IntervalNanos == 0 ? $"{Duration(ValueNanos)} left" : $"every {Duration(IntervalNanos)}, {Duration(ValueNanos)} left";
        return $"POSIX timer {Id} on {clock}, {notify}, {left}";
    }

    /// <summary>A timer's time in words: milliseconds below a second, else seconds.</summary>
    internal static string Duration(long nanos) =>
        nanos < 1_000_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{nanos / 1e6:0.###} ms") : string.Create(CultureInfo.InvariantCulture, $"{nanos / 1e9:0.###} s");
}
