using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

/// <summary>
/// Makes a resumed process's POSIX timers again, by timer_create injected into its main thread,
/// each under the id it had: the program holds that id as its timer_t. Linux 6.17 lets a
/// process ask for the id (prctl(PR_TIMER_CREATE_RESTORE_IDS), made for CRIU: timer_create then
/// takes the id from the timer_t it is given); before it, a process's ids come in turn from a
/// count of its own, from 0 in the fresh stub, so timers are made and deleted until the id comes
/// round. Each is armed (timer_settime, relative) for the time it had left, with its interval;
/// one on a CPU-time clock for the CPU time it had left, counted from the resumed process's.
/// </summary>
internal static class PosixTimerRestore
{
    private const int PR_TIMER_CREATE_RESTORE_IDS = 77, Off = 0, On = 1;

    /// <summary>The most timers made and deleted on the way to an id, where the kernel cannot be asked for it.</summary>
    private const int MostSkipped = 1 << 16;

    /// <param name="tids">the hibernated process's pid and tids, each to the resumed one's as the process knows it (in its own pid namespace).</param>
    public static void Restore(Tracee main, IReadOnlyList<PosixTimer> timers, IReadOnlyDictionary<int, int> tids)
    {
        if (timers.Count == 0)
        {
            return;
        }
        bool byId = main.InjectSyscall(Nr.prctl, PR_TIMER_CREATE_RESTORE_IDS, On) == 0;
        foreach (var timer in timers.OrderBy(t => t.Id))
        {
            Make(main, timer, tids, byId);
        }
        if (byId)
        {
            // The program's own timer_create (glibc's passes a timer_t of its stack) gets ids handed out again.
            main.InjectSyscallChecked("prctl(PR_TIMER_CREATE_RESTORE_IDS)", Nr.prctl, PR_TIMER_CREATE_RESTORE_IDS, Off);
        }
    }

    private static void Make(Tracee main, PosixTimer timer, IReadOnlyDictionary<int, int> tids, bool byId)
    {
        // struct sigevent (64 bytes: sigev_value, sigev_signo, sigev_notify, the tid signalled),
        // then the timer id asked for, where timer_create writes the one it gives.
        var request = new byte[68];
        BitConverter.TryWriteBytes(request.AsSpan(0), timer.SignalValue);
        BitConverter.TryWriteBytes(request.AsSpan(8), timer.Signal);
        BitConverter.TryWriteBytes(request.AsSpan(12), timer.Notify);
        BitConverter.TryWriteBytes(request.AsSpan(16), (timer.Notify & PosixTimer.SIGEV_THREAD_ID) != 0 ? tids[timer.Thread] : 0);
        BitConverter.TryWriteBytes(request.AsSpan(64), timer.Id);
        // A CPU-time clock names its process or thread by pid: the resumed one's.
        ulong clock = (ulong)(timer.CpuClockOwner is int owner and not 0 ? (~tids[owner] << 3) | (timer.Clock & 7) : timer.Clock);
        int Create()
        {
            try
            {
                return BitConverter.ToInt32(main.InjectSyscallWithBuffer("timer_create", Nr.timer_create, request, at => [clock, at, at + 64]).Buffer, 64);
            }
            catch (ErrnoException e)
            {
                throw new RewindException($"{timer.Describe()} cannot be made again: {e.Message}");
            }
        }
        int id = Create();
        for (int skipped = 0; !byId && id < timer.Id && skipped < MostSkipped; skipped++)
        {
            main.InjectSyscallChecked("timer_delete", Nr.timer_delete, (ulong)id);
            id = Create();
        }
        if (id != timer.Id)
        {
            throw new RewindException($"{timer.Describe()} cannot have its id again: this kernel gave {id} (from Linux 6.17 a timer is made with the id asked for, before it ids come in turn)");
        }
        if (timer.ValueNanos != 0)
        {
            // struct itimerspec: it_interval, then it_value, each seconds and nanoseconds.
            var setting = new byte[32];
            BitConverter.TryWriteBytes(setting.AsSpan(0), timer.IntervalNanos / 1_000_000_000);
            BitConverter.TryWriteBytes(setting.AsSpan(8), timer.IntervalNanos % 1_000_000_000);
            BitConverter.TryWriteBytes(setting.AsSpan(16), timer.ValueNanos / 1_000_000_000);
            BitConverter.TryWriteBytes(setting.AsSpan(24), timer.ValueNanos % 1_000_000_000);
            main.InjectSyscallWithBuffer("timer_settime", Nr.timer_settime, setting, at => [(ulong)timer.Id, 0, at, 0]);
        }
    }
}
