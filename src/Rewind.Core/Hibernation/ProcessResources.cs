namespace Rewind.Hibernation;

/// <summary>
/// What a hibernation image holds beyond the checkpoint of the process's memory and threads: the
/// kernel's per-process state that resume sets again. Stored as JSON in the image's Process chunk
/// (docs/trace-format.md), so that `rewind check` and a curious user can read it.
/// </summary>
/// <param name="Pid">the process's pid when it was hibernated.</param>
/// <param name="Executable">the file /proc/PID/exe named (its name at the time; it may be gone).</param>
/// <param name="Degraded">what `--close-lost` turned into dead descriptors, or into memory of the process's own, as resume will print it.</param>
public sealed record ProcessResources(
    int Pid,
    string Executable,
    string WorkingDirectory,
    int Umask,
    IReadOnlyList<ResourceLimit> Limits,
    MemoryLayout Layout,
    IReadOnlyList<ThreadExtras> Threads,
    IReadOnlyList<IntervalTimer> Timers,
    ulong PendingSignals,
    IReadOnlyList<SavedDescriptor> Descriptors,
    IReadOnlyList<string> Degraded)
{
    /// <summary>The ranges marked not to be copied, or to be wiped, by a fork; empty in images written before they were kept.</summary>
    public IReadOnlyList<ForkAdvice> ForkAdvice { get; init; } = [];

    /// <summary>
    /// The pid of the process's parent (/proc/PID/status PPid: its real parent, not a tracer), which
    /// a moment of several processes resumes as their tree; 0 in images written before it was kept.
    /// </summary>
    public int Parent { get; init; }

    /// <summary>The membarrier(2) commands the process registered for (<see cref="Membarrier"/>); none in images written before they were kept.</summary>
    public ulong MembarrierRegistrations { get; init; }

    /// <summary>The POSIX timers (timer_create), by id; images written before they were kept had none.</summary>
    public IReadOnlyList<PosixTimer> PosixTimers { get; init; } = [];

    /// <summary>The siginfo of the signals pending for the process that are sent again as they were (<see cref="Hibernation.QueuedSignals"/>), oldest first.</summary>
    public IReadOnlyList<byte[]> QueuedSignals { get; init; } = [];

    /// <summary>
    /// What the process held that cannot come back, besides its lost descriptors: a POSIX timer
    /// that could not be made again, named with why (a noun phrase). Hibernation refuses such a
    /// process, so an image has none; a recording's checkpoint keeps its state whatever the
    /// process held, and resume refuses it by these.
    /// </summary>
    public IReadOnlyList<string> Unsaved { get; init; } = [];

    /// <summary>The interval and POSIX timers in words, as `rewind check` and `rewind info` list them.</summary>
    public IEnumerable<string> DescribeTimers() => Timers.Select(t => t.Describe()).Concat(PosixTimers.Select(t => t.Describe()));
}

/// <summary>One rlimit (getrlimit(2)'s resource number) with its soft and hard values.</summary>
public sealed record ResourceLimit(int Resource, ulong Soft, ulong Hard);

/// <summary>
/// The addresses the kernel keeps for the process's memory (prctl(PR_SET_MM_MAP)'s struct
/// prctl_mm_map): the program break, where /proc/PID/cmdline and environ read, and the auxiliary
/// vector; and where the kernel's own mappings were ([vdso], [vvar]…), which the program's code
/// calls into and resume puts back at the same addresses.
/// </summary>
public sealed record MemoryLayout(
    ulong StartCode, ulong EndCode, ulong StartData, ulong EndData, ulong StartBrk, ulong Brk,
    ulong StartStack, ulong ArgStart, ulong ArgEnd, ulong EnvStart, ulong EnvEnd, byte[] Auxv, IReadOnlyList<KernelMapping> Kernel);

/// <summary>A mapping the kernel provides, by its name in /proc/PID/maps.</summary>
public sealed record KernelMapping(string Name, ulong Start, ulong End);

/// <summary>
/// A thread's state that the checkpoint's thread list does not hold: its restartable-sequence
/// registration (area 0 for none) and the signals pending for it alone.
/// </summary>
public sealed record ThreadExtras(int Tid, ulong RseqArea, uint RseqLength, uint RseqSignature, ulong PendingSignals)
{
    /// <summary>The siginfo of those of its pending signals that are sent again as they were (<see cref="Hibernation.QueuedSignals"/>), oldest first.</summary>
    public IReadOnlyList<byte[]> QueuedSignals { get; init; } = [];
}

/// <summary>An interval timer (ITIMER_REAL, VIRTUAL or PROF) with the time left and its interval, in microseconds.</summary>
public sealed record IntervalTimer(int Which, long ValueMicros, long IntervalMicros)
{
    /// <summary>The timer in words, as `rewind check` and `rewind info` list it.</summary>
    public string Describe()
    {
        string name = Which switch { 0 => "ITIMER_REAL", 1 => "ITIMER_VIRTUAL", 2 => "ITIMER_PROF", _ => $"interval timer {Which}" };
        string every = IntervalMicros == 0 ? "" : $" every {PosixTimer.Duration(IntervalMicros * 1000)},";
        return ValueMicros == 0 ? $"{name}{every} its signal pending" : $"{name}{every} {PosixTimer.Duration(ValueMicros * 1000)} left";
    }
}
