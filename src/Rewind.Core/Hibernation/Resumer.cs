using Rewind.Checkpoints;
using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Hibernation;

/// <param name="Detach">leave the resumed process running in the background instead of waiting for it.</param>
/// <param name="AllowChangedFiles">resume even though a file the process reads has changed since.</param>
/// <param name="Checkpoint">resume this checkpoint of a recording, not a hibernation image (<see cref="ResumePoint"/>).</param>
/// <param name="CloseLost">resume a recording's checkpoint whose process held what cannot come back, each such descriptor closed.</param>
public sealed record ResumeOptions(bool Detach = false, bool AllowChangedFiles = false, int? Checkpoint = null, bool CloseLost = false, bool AnyCpu = false);

/// <summary>A resumed process, running: its pid now, the pid it had, and what came back only approximately.</summary>
public sealed record ResumedProcess(int Pid, int OriginalPid, IReadOnlyList<string> Degraded);

/// <summary>
/// Starts a hibernation image's process, or a recording's checkpoint of one process or of
/// several (shared/DESIGN.md §10; <see cref="ResumePoint"/>), again: a stub process is given
/// the saved descriptors, working directory, umask and limits, then the checkpoint's memory and
/// threads (<see cref="CheckpointRestore"/>, the restorer replay uses; with their own pid and
/// tids where the kernel allows, here or in a pid namespace of their own: <see cref="KeptPids"/>),
/// then the memory layout, rseq registrations, interval and POSIX timers and pending signals, and is let go. Several
/// processes are so many stubs forked as their tree was (<see cref="StubTree"/>). In the foreground
/// they get the terminal, and `rewind resume` waits for the first and passes its status on.
/// </summary>
public static partial class Resumer
{
    private const int PR_SET_NAME = 15, PR_SET_MM = 35, PR_SET_MM_MAP = 14;

    /// <summary>
    /// Resumes what <paramref name="check"/> found in <paramref name="image"/>; <paramref name="started"/> hears of each process just before it
    /// runs, the first first. Returns the first's exit status, or null when detached.
    /// </summary>
    public static ExitStatus? Resume(TraceFile image, ImageCheck check, ResumeOptions options, Action<ResumedProcess> started) => TracerThread.Run(() =>
    {
        var points = check.Point.Processes;
        string? notHere = KeptPids.WhyNotHere(points), refusal = null;
        using var pids = notHere != null ? PidNamespace.Make(out refusal) : null;
        string? whyNew = pids == null && notHere != null ? KeptPids.Neither(notHere, refusal!) : null;
        var tree = StubTree(points, image.ProcessId.Value, pids);
        var notes = new List<IReadOnlyList<string>>();
        ProgramGroup? group = null;
        try
        {
            var processes = points.Select(p => p.Process).ToList();
            using var pipes = processes.Count > 1 ? TreePipes.Make(processes) : null;
            using var shared = processes.Count > 1 ? new Replay.SharedFiles() : null;
            foreach (var stub in tree)
            {
                notes.Add([.. ReferenceEquals(stub.Point, check.Point) ? check.Degraded : [], .. stub.PidNotes(whyNew), .. Restore(stub, image, pipes, shared, pids)]);
            }
            pids?.Start(tree[0].OwnPid);
            if (!options.Detach)
            {
                group = new ProgramGroup(tree[0].Pid);
            }
        }
        catch
        {
            foreach (var stub in tree)
            {
                Tracee.KillProcess(stub.Threads[0], stub.Threads);
            }
            throw;
        }
        // Told before they run, so that what resume prints (a detached job's pid first) comes
        // before anything a process writes to the same stream.
        for (int i = 0; i < tree.Count; i++)
        {
            started(new ResumedProcess(tree[i].Pid, tree[i].Point.Process.Pid, notes[i]));
        }
        var live = tree.Select(stub => LiveProcess.Of(stub.Pid, stub.Threads)).ToList();
        live.ForEach(process => process.Release());
        using (group)
        {
            return options.Detach ? (ExitStatus?)null : live[0].Ended ?? WaitForExit(live[0].Pid, group!);
        }
    });

    /// <summary>
    /// Restores one process into its stub (the first of <paramref name="stub"/>'s threads, which
    /// gets the others): <paramref name="pipes"/> and <paramref name="shared"/> are what it shares
    /// with the processes resumed with it, <paramref name="pids"/> the pid namespace it runs in, if
    /// any. Returns what came back only approximately.
    /// </summary>
    private static List<string> Restore(ResumedStub stub, TraceFile image, TreePipes? pipes, Replay.SharedFiles? shared, PidNamespace? pids)
    {
        var process = stub.Point.Process;
        var t = stub.Threads[0];
        bool samePid = stub.OwnPid == process.Pid;
        var degraded = DescriptorRestore.Restore(t, process.Descriptors, image, pipes).ToList();
        int cwd = t.InjectOpen(process.WorkingDirectory, Interop.O_DIRECTORY);
        t.InjectSyscallChecked("fchdir", Nr.fchdir, (ulong)cwd);
        t.InjectSyscallChecked("close", Nr.close, (ulong)cwd);
        t.InjectSyscallChecked("umask", Nr.umask, (ulong)process.Umask);
        degraded.AddRange(SetLimits(t.Pid, process.Limits));

        var layout = image.CheckpointLayout(stub.Point.Checkpoint);
        using var mappings = new LiveMappings(process.Descriptors, shared);
        CheckpointRestore.RestoreImage(t, image, layout, mappings, process.Layout.Kernel.Select(k => (k.Name, new RemotePtr(k.Start))).ToList());
        mappings.Complete(t);
        Membarrier.Register(t, process.MembarrierRegistrations);
        foreach (var marked in process.ForkAdvice)
        {
            marked.Apply(t);
        }
        if (SetLayout(t, process) is { } note)
        {
            degraded.Add(note);
        }
        var threads = stub.Threads;
        foreach (var thread in layout.Threads.Skip(1))
        {
            threads.Add(t.CloneThread(thread.State, samePid ? thread.Tid.Value : null));
        }
        for (int i = 0; i < threads.Count; i++)
        {
            FinishThread(threads[i], layout.Threads.Count > i ? layout.Threads[i].Name : null, process.Threads.Count > i ? process.Threads[i] : null);
        }
        foreach (var timer in process.Timers)
        {
            ArmTimer(t, timer);
        }
        if (FrozenHandlers.LayOutHere(t, threads, image.Header.Machine.Cpuid is { } cpuid ? new CpuidTable(cpuid) : null) is { } handlers)
        {
            degraded.Add(handlers);
        }
        PosixTimerRestore.Restore(t, process.PosixTimers, layout.Threads.Select((th, i) => (th.Tid.Value, threads[i].OwnTid)).ToDictionary());
        if (pids != null)
        {
            threads.ForEach(pids.GiveUpCapabilities);
        }
        SendPending(t.Pid, process, threads);
        TellOfNewTerminal(t.Pid, process.Descriptors);
        return degraded;
    }

    private static IEnumerable<string> SetLimits(int pid, IReadOnlyList<ResourceLimit> limits)
    {
        var notes = new List<string>();
        unsafe
        {
            ulong* wanted = stackalloc ulong[2];
            foreach (var limit in limits)
            {
                (wanted[0], wanted[1]) = (limit.Soft, limit.Hard);
                if (Interop.syscall(Interop.SYS_prlimit64, pid, limit.Resource, (long)wanted, 0) != 0)
                {
                    notes.Add($"resource limit {limit.Resource} stays as rewind resume's (raising it needs CAP_SYS_RESOURCE)");
                }
            }
        }
        return notes;
    }

    /// <summary>
    /// The break, argument and environment areas and auxv the kernel keeps, with prctl(PR_SET_MM_MAP),
    /// and the program file as /proc/PID/exe when it is still there; returns what could not be set.
    /// </summary>
    private static string? SetLayout(Tracee t, ProcessResources process)
    {
        var l = process.Layout;
        int exe = File.Exists(process.Executable) ? t.InjectOpen(process.Executable, 0) : -1;
        try
        {
            // struct prctl_mm_map, with auxv placed after it in the same buffer.
            var map = new byte[104 + l.Auxv.Length];
            ulong[] fields = [l.StartCode, l.EndCode, l.StartData, l.EndData, l.StartBrk, l.Brk, l.StartStack, l.ArgStart, l.ArgEnd, l.EnvStart, l.EnvEnd];
            for (int i = 0; i < fields.Length; i++)
            {
                BitConverter.TryWriteBytes(map.AsSpan(i * 8), fields[i]);
            }
            BitConverter.TryWriteBytes(map.AsSpan(96), (uint)l.Auxv.Length);
            l.Auxv.CopyTo(map, 104);
            string? failure = null;
            foreach (int fd in exe >= 0 ? new[] { exe, -1 } : [-1])
            {
                BitConverter.TryWriteBytes(map.AsSpan(100), fd);
                try
                {
                    t.InjectSyscallWithBuffer("prctl(PR_SET_MM_MAP)", Nr.prctl, map, at =>
                    {
                        BitConverter.TryWriteBytes(map.AsSpan(88), at + 104);
                        return [PR_SET_MM, PR_SET_MM_MAP, at, 104];
                    });
                    return fd == exe || exe < 0 ? null : $"/proc/PID/exe names rewind's stub, not {process.Executable}";
                }
                catch (ErrnoException e)
                {
                    failure = e.Message;
                }
            }
            return $"the program break and /proc/PID/cmdline are this stub's, not the program's ({failure})";
        }
        finally
        {
            if (exe >= 0)
            {
                t.InjectSyscall(Nr.close, (ulong)exe);
            }
        }
    }

    /// <summary>A thread's name and restartable-sequence registration.</summary>
    private static void FinishThread(Tracee thread, string? name, ThreadExtras? extras)
    {
        if (name != null)
        {
            var bytes = new byte[16];
            System.Text.Encoding.UTF8.GetBytes(name.AsSpan(0, Math.Min(name.Length, 15)), bytes);
            thread.InjectSyscallWithBuffer("prctl(PR_SET_NAME)", Nr.prctl, bytes, at => [PR_SET_NAME, at]);
        }
        if (extras is { RseqArea: not 0 } e)
        {
            thread.InjectSyscallChecked("rseq", Nr.rseq, e.RseqArea, e.RseqLength, 0, e.RseqSignature);
        }
    }

    private static void ArmTimer(Tracee t, IntervalTimer timer)
    {
        var value = new byte[32];
        BitConverter.TryWriteBytes(value.AsSpan(0), timer.IntervalMicros / 1_000_000);
        BitConverter.TryWriteBytes(value.AsSpan(8), timer.IntervalMicros % 1_000_000);
        // A periodic timer between an expiry and its signal's delivery next fires an interval on.
        long left = timer.ValueMicros != 0 ? timer.ValueMicros : timer.IntervalMicros;
        BitConverter.TryWriteBytes(value.AsSpan(16), left / 1_000_000);
        BitConverter.TryWriteBytes(value.AsSpan(24), left % 1_000_000);
        t.InjectSyscallWithBuffer("setitimer", Nr.setitimer, value, at => [(ulong)timer.Which, at, 0]);
    }

    /// <summary>
    /// Signals that were pending, to the process or to one thread, raised again: those kept with
    /// their siginfo queued with it, the others by number (with no siginfo of their own).
    /// </summary>
    private static void SendPending(int pid, ProcessResources process, List<Tracee> threads)
    {
        int count = Math.Min(process.Threads.Count, threads.Count);
        for (int i = 0; i < count; i++)
        {
            foreach (var info in process.Threads[i].QueuedSignals)
            {
                _ = QueuedSignals.Send(pid, threads[i].Pid, info);
            }
        }
        foreach (var info in process.QueuedSignals)
        {
            _ = QueuedSignals.Send(pid, 0, info);
        }
        ulong shared = process.PendingSignals & ~QueuedSignals.Mask(process.QueuedSignals);
        var own = process.Threads.Select(t => t.PendingSignals & ~QueuedSignals.Mask(t.QueuedSignals)).ToList();
        for (int sig = 1; sig <= 64; sig++)
        {
            ulong bit = 1UL << (sig - 1);
            if ((shared & bit) != 0)
            {
                _ = Interop.kill(pid, sig);
            }
            for (int i = 0; i < count; i++)
            {
                if ((own[i] & bit) != 0)
                {
                    _ = Interop.tgkill(pid, threads[i].Pid, sig);
                }
            }
        }
    }

    /// <summary>
    /// A process back on a terminal is on another one, of its own size: it is told so as a
    /// resize tells it (SIGWINCH, which TIOCSWINSZ sends the terminal's foreground group), so that
    /// a full-screen program asks the size again and redraws.
    /// </summary>
    private static void TellOfNewTerminal(int pid, IReadOnlyList<SavedDescriptor> descriptors)
    {
        if (descriptors.Any(d => d.Kind == DescriptorKind.Terminal && Interop.Stat($"/proc/{pid}/fd/{d.Fd}") is { IsTerminal: true }))
        {
            _ = Interop.kill(pid, Signal.SIGWINCH);
        }
    }

    /// <summary>Waits for the resumed process (our child) to end, stopping along with it as a shell's job would.</summary>
    private static ExitStatus WaitForExit(int pid, ProgramGroup group)
    {
        while (true)
        {
            if (group.Reap(pid, block: true) is { } exit)
            {
                return exit;
            }
        }
    }
}
