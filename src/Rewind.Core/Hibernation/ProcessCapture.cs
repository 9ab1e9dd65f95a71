using System.Globalization;
using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Recording;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// Reads what the kernel keeps for a stopped process beyond its memory and threads, which resume
/// sets again (<see cref="ProcessResources"/>): for a hibernation image (<see cref="Hibernator"/>),
/// and at each checkpoint a recorder takes of its program as one process, so that a recording's
/// checkpoint resumes live the same way. It takes everything as it is: what cannot come back
/// (descriptors of kind <see cref="DescriptorKind.Lost"/>, <see cref="ProcessResources.Unsaved"/>)
/// is the caller's to refuse or degrade. Nothing in the process changes: the syscalls injected
/// into it (getitimer, timer_gettime) only read.
/// </summary>
internal static class ProcessCapture
{
    /// <summary>The state of process <paramref name="pid"/> but its pending signals, which are read last (<see cref="WithPendingSignals"/>).</summary>
    /// <param name="threads">every thread, in the order of the checkpoint's threads; the first is stopped where a syscall can be injected.</param>
    /// <param name="rseq">ask each thread for its rseq registration; without, none has one.</param>
    /// <param name="brk">the program break.</param>
    /// <param name="kernel">the kernel's mappings the program calls into, which resume moves into place.</param>
    /// <param name="blobs">where a deleted file's bytes go.</param>
    public static ProcessResources Read(int pid, IReadOnlyList<Tracee> threads, bool rseq, ulong brk, IReadOnlyList<KernelMapping> kernel, BlobStore blobs)
    {
        var descriptors = DescriptorCapture.Capture(pid, blobs);
        var (posixTimers, timerProblem) = PosixTimer.Read(pid, threads);
        var status = File.ReadAllLines($"/proc/{pid}/status");
        int umask = Convert.ToInt32(status.First(l => l.StartsWith("Umask:", StringComparison.Ordinal))[6..].Trim(), 8);
        var extras = threads.Select(t =>
        {
            var (area, length, signature) = rseq ? t.RseqConfiguration() : default;
            return new ThreadExtras(t.Pid, area, length, signature, 0);
        }).ToList();
        return new ProcessResources(pid, LinkOf($"/proc/{pid}/exe"), LinkOf($"/proc/{pid}/cwd"), umask, Limits(pid), Layout(pid, brk, kernel),
            extras, IntervalTimers(threads[0]), 0, descriptors, [])
        {
            Parent = int.Parse(status.First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim(), CultureInfo.InvariantCulture),
            PosixTimers = posixTimers,
            MembarrierRegistrations = Membarrier.Read(threads[0]),
            Unsaved = timerProblem is null ? [] : [timerProblem],
        };
    }

    /// <summary>
    /// <paramref name="resources"/> with the signals pending for the process and for each thread,
    /// read once nothing more is injected into it: an injected syscall takes a thread's unblocked
    /// signals off its queue (held back then, with their siginfo), so that masks or queues read
    /// before would have such a signal twice, once by number. Those held back are pending too.
    /// A thread of <paramref name="waiting"/> waits in the kernel rather than stopped (a
    /// recorder's), where its queue cannot be peeked (PTRACE_PEEKSIGINFO): its signals are kept by number.
    /// </summary>
    public static ProcessResources WithPendingSignals(ProcessResources resources, int pid, IReadOnlyList<Tracee> threads, IReadOnlySet<int>? waiting = null) => resources with
    {
        PendingSignals = ProcStatus.Read(pid).SharedPending,
        QueuedSignals = QueuedSignals.Peek(threads[0], shared: true),
        Threads = [.. resources.Threads.Select((extras, i) =>
        {
            var thread = threads[i];
            return extras with
            {
                PendingSignals = ProcStatus.ReadThread(pid, thread.Pid).Pending | LiveProcess.HeldSignals(thread),
                QueuedSignals = [.. thread.DeferredSignals.Where(QueuedSignals.Resendable), .. waiting?.Contains(thread.Pid) == true ? [] : QueuedSignals.Peek(thread, shared: false)],
            };
        })],
    };

    /// <summary>The kernel's own mappings of process <paramref name="pid"/> ([vdso], [vvar]…) but [vsyscall], which is at one address in every process.</summary>
    public static IReadOnlyList<KernelMapping> KernelMappings(int pid) =>
        [.. AddressSpace.Read(pid).Regions.Where(r => r.IsKernelProvided && r.Name != "[vsyscall]").Select(r => new KernelMapping(r.Name, r.Start.Value, r.End.Value))];

    public static string LinkOf(string path) => new FileInfo(path).LinkTarget ?? throw new RewindException($"cannot read {path}");

    private static unsafe List<ResourceLimit> Limits(int pid)
    {
        const int Count = 16;
        var limits = new List<ResourceLimit>();
        ulong* old = stackalloc ulong[2];
        for (int resource = 0; resource < Count; resource++)
        {
            Interop.Check(Interop.syscall(Interop.SYS_prlimit64, pid, resource, 0, (long)old), "prlimit64");
            limits.Add(new ResourceLimit(resource, old[0], old[1]));
        }
        return limits;
    }

    /// <summary>The memory layout from /proc/PID/stat (proc(5)'s field numbers), the break, and the auxv.</summary>
    private static MemoryLayout Layout(int pid, ulong brk, IReadOnlyList<KernelMapping> kernel)
    {
        var f = ProcStatus.StatFields(File.ReadAllText($"/proc/{pid}/stat"));
        ulong Field(int number) => ulong.Parse(f[number - 3], CultureInfo.InvariantCulture);
        return new MemoryLayout(Field(26), Field(27), Field(45), Field(46), Field(47), brk, Field(28), Field(48), Field(49), Field(50), Field(51),
            File.ReadAllBytes($"/proc/{pid}/auxv"), kernel);
    }

    /// <summary>ITIMER_REAL, VIRTUAL and PROF, those that are armed or periodic, read with getitimer in the process.</summary>
    private static List<IntervalTimer> IntervalTimers(Tracee main)
    {
        var timers = new List<IntervalTimer>();
        for (int which = 0; which < 3; which++)
        {
            byte[] value = main.InjectSyscallWithBuffer("getitimer", Nr.getitimer, new byte[32], at => [(ulong)which, at]).Buffer;
            long Micros(int at) => BitConverter.ToInt64(value, at) * 1_000_000 + BitConverter.ToInt64(value, at + 8);
            // A periodic ITIMER_REAL whose signal is pending shows no time left: the kernel arms it
            // again only when that signal is taken (dequeue_signal). It is kept by its interval.
            if (Micros(16) != 0 || Micros(0) != 0)
            {
                timers.Add(new IntervalTimer(which, Micros(16), Micros(0)));
            }
        }
        return timers;
    }
}
