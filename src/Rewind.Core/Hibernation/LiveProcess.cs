using System.Runtime.InteropServices;
using Rewind.Checkpoints;
using Rewind.Linux;

namespace Rewind.Hibernation;

/// <summary>
/// A running process that Rewind did not start, held still under ptrace (shared/DESIGN.md §10):
/// every thread seized and interrupted until the set of threads stops changing. A thread caught
/// in a syscall the kernel would restart is held before its <c>syscall</c> instruction, so that
/// it runs that syscall again wherever it goes on: here after <see cref="Release"/>, or in a
/// resumed copy. Not killed on the tracer's exit: a hibernation that fails leaves the process running.
/// </summary>
internal sealed class LiveProcess : IDisposable
{
    private const int SeizeOptions = Interop.PTRACE_O_TRACESYSGOOD | Interop.PTRACE_O_TRACECLONE | Interop.PTRACE_O_TRACEFORK;
    private readonly List<Tracee> _threads = [];
    private bool _released;

    private LiveProcess(int pid) => Pid = pid;

    public int Pid { get; }

    /// <summary>The threads, the main one first, each stopped with the registers it goes on with.</summary>
    public IReadOnlyList<Tracee> Threads => _threads;

    /// <summary>A process whose threads the caller traces and holds stopped (one it restored).</summary>
    public static LiveProcess Of(int pid, IEnumerable<Tracee> threads)
    {
        var process = new LiveProcess(pid);
        process._threads.AddRange(threads);
        return process;
    }

    /// <summary>Seizes and stops every thread of process <paramref name="pid"/>.</summary>
    public static LiveProcess Seize(int pid)
    {
        if (!Directory.Exists($"/proc/{pid}/task"))
        {
            throw new RewindException($"there is no process {pid}");
        }
        var process = new LiveProcess(pid);
        try
        {
            // A thread may start while the others are being seized: list them again until no new one appears.
            for (var found = Tids(pid); found.Count > 0; found = Tids(pid).Except(process._threads.Select(t => t.Pid)).ToList())
            {
                foreach (int tid in found)
                {
                    process.Stop(tid);
                }
            }
            if (process._threads.Count == 0 || process._threads[0].Pid != pid)
            {
                throw new RewindException($"process {pid} ended while it was being stopped");
            }
            return process;
        }
        catch
        {
            process.Release();
            throw;
        }
    }

    private static List<int> Tids(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task").Select(d => int.Parse(Path.GetFileName(d))).Order().ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private void Stop(int tid)
    {
        if (Interop.ptrace(Interop.PTRACE_SEIZE, tid, 0, SeizeOptions) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.ESRCH)
            {
                return;
            }
            throw errno == 1 ? new RewindException(PermissionAdvice(tid)) : new ErrnoException($"ptrace(SEIZE) of {tid}", errno);
        }
        var thread = Tracee.Attached(tid, Pid, SeizeOptions);
        thread.Interrupt();
        var status = thread.Wait();
        while (status.Stopped && !status.IsEvent(WaitStatus.EventStop))
        {
            // A signal on its way is delivered, as it would have been; the interrupt's stop comes next.
            thread.Resume(Resume.Continue, status.StopSignal);
            status = thread.Wait();
        }
        if (!status.Stopped)
        {
            return;
        }
        var regs = thread.GetRegisters();
        if (regs.OrigRax != ulong.MaxValue && Errno.IsRestart(regs.Result))
        {
            thread.SetRegisters(regs.BeforeSyscall());
        }
        _threads.Add(thread);
    }

    /// <summary>
    /// Why ptrace refused (ptrace(2), EPERM; Documentation/admin-guide/LSM/Yama.rst), and what the
    /// user can do about it: another tracer holds the thread (ptrace admits one), Yama's scope
    /// forbids it, or the process is another user's or has privileges rewind lacks.
    /// </summary>
    private string PermissionAdvice(int tid)
    {
        string why;
        if (TracerOf(tid) is int tracer and not 0)
        {
            why = $"process {Pid} is already traced by process {ProcStatus.Describe(tracer)}, and ptrace admits one tracer at a time: end or detach that one first";
        }
        else
        {
            string scope = File.Exists("/proc/sys/kernel/yama/ptrace_scope") ? File.ReadAllText("/proc/sys/kernel/yama/ptrace_scope").Trim() : "0";
            // ptrace(2): without CAP_SYS_PTRACE, the tracer's filesystem uid must be the target's real, effective and saved uid.
            var (target, mine) = (Uids(Pid), Uids(Environment.ProcessId));
            why = scope switch
            {
                "1" => "the kernel's yama ptrace_scope is 1, which lets a process be attached to only by its ancestors: run rewind as root (CAP_SYS_PTRACE), start the job with rewind run, or set /proc/sys/kernel/yama/ptrace_scope to 0",
                "2" => "the kernel's yama ptrace_scope is 2, which lets only a tracer with CAP_SYS_PTRACE attach: run rewind as root",
                "3" => "the kernel's yama ptrace_scope is 3, which lets no process attach to another, root included, until the next boot",
                _ when target != null && mine != null && target[..3].Any(uid => uid != mine[3]) => $"process {Pid} belongs to user {target[1]}: run rewind as that user or as root",
                _ => $"process {Pid} has privileges rewind lacks (it runs a set-user-ID program or one with file capabilities, or made itself undumpable): run rewind as root",
            };
        }
        return $"not allowed to attach to process {Pid} (thread {tid}) with ptrace: {why}";
    }

    /// <summary>The real, effective, saved and filesystem uids of /proc/PID/status; null once the process is gone.</summary>
    private static string[]? Uids(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private int TracerOf(int tid)
    {
        try
        {
            return ProcStatus.TracerOf(Pid, tid);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The process's end, where its group died while it was released (<see cref="Release"/>) and its
    /// leader was reaped there: a tracer that is also the leader's parent, as `rewind resume` is,
    /// takes its status with that wait (wait(2)), and no later wait finds it.
    /// </summary>
    public Trace.ExitStatus? Ended { get; private set; }

    /// <summary>
    /// Lets every thread go on where it was stopped, no longer traced, with the signals that
    /// came while syscalls were injected into it sent again: with their siginfo where it can be
    /// queued as it was (a timer's, <see cref="QueuedSignals"/>), else by number. A thread that
    /// can no longer be let go dies, and is reaped here (<see cref="Ended"/>).
    /// </summary>
    public void Release()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        var dying = new List<Tracee>();
        foreach (var thread in _threads.Where(t => t.IsAlive))
        {
            foreach (var info in thread.TakeDeferredSignals())
            {
                _ = QueuedSignals.Resendable(info) ? QueuedSignals.Send(thread.Tgid, thread.Pid, info) : Interop.tgkill(thread.Tgid, thread.Pid, BitConverter.ToInt32(info)) == 0;
            }
            // PTRACE_DETACH wants the thread in a ptrace-stop (ESRCH otherwise, ptrace(2)). One that
            // left it was woken by SIGKILL: a thread let go before it ended the group (a fatal
            // signal's group exit kills every other thread, stopped or not), or the process was killed.
            if (Interop.ptrace(Interop.PTRACE_DETACH, thread.Pid, 0, 0) != 0)
            {
                dying.Add(thread);
            }
        }
        // Still traced, such a thread stays a zombie until its tracer waits for it (ptrace(2),
        // "Death under ptrace"), and a leader's death is reported only once every other thread of
        // its group is gone (wait(2)): left so, the process never ends for its parent. The others
        // are reaped first, the leader last.
        foreach (var thread in dying.OrderBy(t => t.IsLeader))
        {
            var status = thread.Wait();
            while (status.Stopped && Interop.ptrace(Interop.PTRACE_DETACH, thread.Pid, 0, 0) != 0)
            {
                status = thread.Wait();
            }
            if (thread.IsLeader && !status.Stopped)
            {
                Ended = Trace.ExitStatus.Of(status);
            }
        }
    }

    /// <summary>The signals that came to a thread while syscalls were injected into it, held back then, as a mask.</summary>
    public static ulong HeldSignals(Tracee thread) => thread.DeferredSignals.Aggregate(0UL, (mask, info) => mask | 1UL << (BitConverter.ToInt32(info) - 1));

    /// <summary>Ends the process (SIGKILL) and waits until every thread is gone.</summary>
    public void Kill()
    {
        _released = true;
        Tracee.KillProcess(_threads[0], _threads);
    }

    public void Dispose() => Release();
}
