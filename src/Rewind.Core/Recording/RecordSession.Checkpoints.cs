using System.Diagnostics;
using System.Text.Json;
using Rewind.Checkpoints;
using Rewind.Hibernation;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private PendingCheckpoint? _pending;
    // The live copy of each process's last checkpoint image, by pid, that its next one is compared with.
    private Dictionary<int, ProcessSnapshot> _bases = [];
    private TimeSpan _lastCheckpointAt;
    private long _chainBytes;
    private long _fullBytes;
    private long _biggestBytes;

    /// <summary>A stopped snapshot of one process of a checkpoint, and what the tracer read of it.</summary>
    private sealed record ProcessSnapshot(Tracee Snapshot, SnapshotState State);

    /// <summary>The snapshots of every process of one moment, being written into the trace by worker threads.</summary>
    private sealed record PendingCheckpoint(IReadOnlyList<ProcessSnapshot> Processes, Task<List<CheckpointSummary>> Work);

    /// <summary>How soon the alarm rings again when a checkpoint fell due while every thread waited, and could not be taken then.</summary>
    private static readonly TimeSpan CheckpointRetry = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// At a syscall-exit stop whose event is logged, the process is in a settled state: exactly
    /// "after event _log.Count - 1", where a replay from this checkpoint starts. Not at a restart
    /// code: the kernel would restart that syscall on the way out, which a snapshot resumed with
    /// orig_rax -1 would not. Every other thread must be where the log says it is
    /// (<see cref="IsSettled"/>), and every process have a thread to fork its snapshot from
    /// (<see cref="ForkedFrom"/>).
    /// </summary>
    private bool CheckpointDue(long result) =>
        !Linux.Errno.IsRestart(result) && !OwnMaskComesBack(_current, result) && CheckpointTime()
        && _threads.All(t => ReferenceEquals(t, _current) || IsSettled(t)) && EveryProcessForks();

    /// <summary>
    /// Whether the thread is stopped at the exit of a call that waits with a signal mask of its own
    /// and that a signal ended (-ERESTARTNOHAND, epoll_pwait's -EINTR): the kernel puts the thread's
    /// own mask back only on its way to the program, once the handler is chosen under the call's
    /// mask (TIF_RESTORE_SIGMASK). A snapshot is not forked from it there: the fork's
    /// PTRACE_SETSIGMASK puts the mask back at once, and a signal the program's mask blocks would
    /// not be handled as the call returns.
    /// </summary>
    private static bool OwnMaskComesBack(RecordedThread t, long result) => t.OwnSignalMask != null && Linux.Errno.IsError(result);

    /// <summary>
    /// The interval has passed since the last checkpoint, and that one is written: one checkpoint
    /// at a time, so a slow disk makes them sparser, never piles them up.
    /// </summary>
    private bool CheckpointTime() =>
        _options.CheckpointInterval > TimeSpan.Zero && _pending == null && _clock.Elapsed - _lastCheckpointAt >= _options.CheckpointInterval;

    /// <summary>
    /// Every process has a thread to fork its snapshot from, and its threads have the same seccomp
    /// filters of the program's (each filter list is shared by the threads that have it), the one
    /// list a restored process installs again.
    /// </summary>
    private bool EveryProcessForks() =>
        _processes.All(p => ForkedFrom(p) != null && _threads.Where(t => t.Process == p).Select(t => t.Filters).Distinct().Count() <= 1);

    /// <summary>
    /// The tracer is to wait for the next stop while no thread runs its own code (each waits in the
    /// kernel, or the running one is in a syscall): no syscall exit may come to find the next
    /// checkpoint due before the wait ends, which may be long (a shell waiting for a sleep). The
    /// alarm rings when it falls due (<see cref="CheckpointWhileWaiting"/>), or soon again where it
    /// is overdue.
    /// </summary>
    private void ArmCheckpoint()
    {
        if (_options.CheckpointInterval <= TimeSpan.Zero || _running is { SyscallEntry: null })
        {
            return;
        }
        var left = _lastCheckpointAt + _options.CheckpointInterval - _clock.Elapsed;
        Alarm().Arm(left > CheckpointRetry ? left : CheckpointRetry);
    }

    /// <summary>
    /// The alarm rang: where every thread waits in the kernel (none is ready, and the running one, if
    /// any, is in a syscall) and a checkpoint is due, it is taken now, forked from the thread in hand
    /// in its wait. Its syscall's entry goes into the log first where it is not there yet (the others
    /// had no event since it went in, or it runs alone): the moment is after it.
    /// </summary>
    private void CheckpointWhileWaiting()
    {
        CollectCheckpoint(wait: false);
        if (!CheckpointTime() || _threads.Any(t => t.IsReady) || !_threads.Contains(_current) || !CanInterrupt(_current)
            || !_threads.All(t => ReferenceEquals(t, _current) || IsSettled(t)) || !EveryProcessForks())
        {
            return;
        }
        if (_current.EntryUnlogged)
        {
            LogEntry(_current, _current.SyscallEntry!.Value);
        }
        TakeCheckpoint();
    }

    /// <summary>
    /// Whether a thread other than the one in hand is where the log says it is, with a state a
    /// checkpoint can hold: stopped after a logged event with nothing to deliver, or in a syscall
    /// whose entry is logged, waiting in the kernel or stopped at its exit, which waits its turn (it
    /// is restored before its syscall instruction, as replay keeps it, with its own signal mask where
    /// the call waits with another), unless that syscall creates a process (a vfork's parent waits
    /// for its child's exec, and replay forks the child where the new process event is).
    /// </summary>
    private bool IsSettled(RecordedThread t) =>
        !t.Exiting && t.HeldRestart == null && (InSyscall(t)
            ? t.ExtendedStateInKernel != null && !t.EntryUnlogged && !SyscallTable.CreatesTask(t.SyscallEntry!.Value.SyscallNumber)
            : t.Pending == null && t.Parked is { Signal: 0 } && t.AtEvent);

    /// <summary>
    /// Whether the thread is in the kernel in a syscall: one that may block, let in while others run,
    /// or any, of the running thread.
    /// </summary>
    private bool WaitsInSyscall(RecordedThread t) => t.SyscallEntry != null && (t.InKernel || ReferenceEquals(t, _running));

    /// <summary>Whether the thread is in a syscall as the log has it: waiting in the kernel, or stopped at its exit, which is not handled yet.</summary>
    private bool InSyscall(RecordedThread t) => WaitsInSyscall(t) || t.SyscallEntry != null && t.Pending is { IsSyscallStop: true };

    /// <summary>
    /// Whether the thread waits in the kernel in a syscall that PTRACE_INTERRUPT ends with a restart
    /// code from which the kernel goes on as if it had never stopped
    /// (<see cref="SyscallTable.RestartsWhenInterrupted"/>), or with an -EINTR after which the
    /// recorder makes it again with the time it had left (<see cref="SyscallTable.TimeoutOfEintrWait"/>):
    /// a snapshot can be forked from it (<see cref="Interrupt"/>), and it enters the call again (<see cref="WaitAgain"/>).
    /// </summary>
    private bool CanInterrupt(RecordedThread t) =>
        WaitsInSyscall(t) && t.SyscallEntry is { } entry && (SyscallTable.RestartsWhenInterrupted(entry.SyscallNumber, entry.Args(), t.Tracee)
            || SyscallTable.TimeoutOfEintrWait(entry.SyscallNumber) != null);

    /// <summary>
    /// The thread a snapshot of <paramref name="process"/> is forked from: the one in hand in its
    /// process (stopped after its event, or in a wait it can be interrupted in); else one stopped,
    /// after an event or at a syscall's exit; else one waiting where it can be interrupted. Null
    /// when there is none: every thread of it waits in a call that an interrupt would change for the program.
    /// </summary>
    private RecordedThread? ForkedFrom(RecordedProcess process) =>
        process == _current.Process && (!WaitsInSyscall(_current) || CanInterrupt(_current)) ? _current
            : _threads.FirstOrDefault(t => t.Process == process && !WaitsInSyscall(t) && IsSettled(t)
                    && !(t.Pending != null && OwnMaskComesBack(t, t.Tracee.GetRegisters().Result)))
                ?? _threads.FirstOrDefault(t => t.Process == process && CanInterrupt(t));

    /// <summary>
    /// Stops a thread waiting in the kernel (<see cref="CanInterrupt"/>) for a snapshot to be forked
    /// from it: PTRACE_INTERRUPT ends its call with a restart code (or an EINTR wait's -EINTR with no
    /// signal of the program's to deliver), at a syscall-exit stop, which takes the interrupt's place
    /// (ptrace_stop: "any trap clears pending STOP trap"). Returns false where the call ended
    /// otherwise (it completed as the interrupt came, or a signal ended it): that stop is filed as
    /// any other, and the thread goes on from it in its turn.
    /// </summary>
    private bool Interrupt(RecordedThread t)
    {
        t.Tracee.Interrupt();
        var status = t.Tracee.Wait();
        long result = t.Tracee.GetRegisters().Result;
        if (status.IsSyscallStop && (Linux.Errno.IsRestart(result)
            || result == -Linux.Errno.EINTR && SyscallTable.TimeoutOfEintrWait(t.SyscallEntry!.Value.SyscallNumber) != null && !SignalComes(t)))
        {
            return true;
        }
        OnReport(t.Tracee.Pid, status);
        return false;
    }

    /// <summary>
    /// Lets a thread stopped in its wait (<see cref="Interrupt"/>) into its syscall again, as the
    /// kernel restarts a call that no signal handler acts on (<see cref="Registers.Restarted"/>): from
    /// before its syscall instruction, where its image has it, with what the call was given (its
    /// buffers in scratch memory, a timeout the kernel shortened, the time an EINTR wait had left: <see cref="TimeLeft"/>)
    /// or with restart_syscall, which keeps the call's deadline. Nothing is logged: the log has the call's entry, and will have its
    /// result once. Signals that came are held back until it waits again, then sent: they interrupt
    /// the call there, as they would have.
    /// </summary>
    private static void WaitAgain(RecordedThread t)
    {
        var regs = t.Tracee.GetRegisters().Restarted();
        if (SyscallTable.TimeoutOfEintrWait(regs.SyscallNumber) is { } timeout)
        {
            TimeLeft.Give(t, ref regs, timeout);
        }
        t.Tracee.SetRegisters(regs);
        t.Tracee.EnterSyscall();
        t.Tracee.Resume(Resume.Syscall);
        RedeliverDeferred(t);
    }

    /// <summary>Whether a signal the thread does not block (its call's mask, in a wait with its own) is pending for it: its wait's -EINTR is the program's.</summary>
    private static bool SignalComes(RecordedThread t)
    {
        var status = ProcStatus.ReadThread(t.Tracee.Tgid, t.Tid.Value);
        return ((status.Pending | status.SharedPending) & ~status.Blocked) != 0;
    }

    /// <summary>
    /// <paramref name="state"/>, read from a snapshot forked from <paramref name="from"/>, with every
    /// thread of its process: <paramref name="from"/> first (the image's own registers and signal
    /// mask are its), then the others as the recorder keeps them.
    /// </summary>
    private SnapshotState WithThreads(RecordedThread from, SnapshotState state)
    {
        var threads = ThreadsOf(from).Select(t => new CheckpointThread(t.Tid, ProcStatus.NameOf(t.Tracee.Tgid, t.Tid.Value), StateOf(t, ReferenceEquals(t, from) ? state : null))).ToList();
        var first = threads[0].State;
        return state with { Registers = first.Registers, BlockedSignals = first.BlockedSignals, Threads = threads, Filters = from.Filters, Sealed = [.. from.Process.Sealed] };
    }

    /// <summary>
    /// What a checkpoint holds of a thread: its state from the snapshot forked from it
    /// (<paramref name="forked"/>), or as the recorder keeps what no interface reads back while it
    /// waits in the kernel; a thread in a syscall is before its syscall instruction, with its own signal mask.
    /// </summary>
    private ThreadState StateOf(RecordedThread t, SnapshotState? forked)
    {
        bool inSyscall = InSyscall(t);
        var regs = inSyscall ? t.SyscallEntry!.Value.BeforeSyscall() : forked?.Registers ?? t.Tracee.GetRegisters();
        var xstate = forked?.ExtendedState ?? (inSyscall ? t.ExtendedStateInKernel! : t.Tracee.GetExtendedState());
        // A snapshot's mask is the thread's own (PTRACE_GETSIGMASK reads the one the kernel is to put back);
        // /proc's is the thread's own but where the call waits with a mask of its own, or, in a
        // sigwaitinfo, without the signals it waits for.
        var entry = t.SyscallEntry;
        ulong blocked = forked?.BlockedSignals ?? (inSyscall && t.OwnSignalMask is { } own ? own
            : ProcStatus.ReadThread(t.Tracee.Tgid, t.Tid.Value).Blocked
                | (inSyscall ? SyscallTable.UnblockedWhileWaiting(entry!.Value.SyscallNumber, entry.Value.Args(), t.Tracee) : 0));
        return new ThreadState(regs, xstate, blocked, t.AltStack, t.RobustList.Head, t.RobustList.Length, t.ClearChildTid);
    }

    /// <summary>The threads of <paramref name="from"/>'s process in a checkpoint's order: <paramref name="from"/> first, then the others as the recorder keeps them.</summary>
    private IEnumerable<RecordedThread> ThreadsOf(RecordedThread from) => [from, .. _threads.Where(t => t.Process == from.Process && !ReferenceEquals(t, from))];

    /// <summary>
    /// What a live resume of this moment needs beyond its image (descriptors, working directory,
    /// limits, timers: docs/hibernation.md), read by hibernation's own capture while the program
    /// is stopped here, from <paramref name="from"/>'s process, but its pending signals
    /// (<see cref="WithPendingSignals"/>). A moment of several processes has it for each: resume
    /// makes them again together, the pipes between them one pipe each.
    /// </summary>
    private ProcessResources CaptureProcess(RecordedThread from, ulong brk) =>
        // No thread has an rseq registration: the recorder answers rseq with ENOSYS (OnSyscallEntry).
        // No kernel mapping either: the program calls the vDSO stand-in its image holds (VdsoStandIn), not the kernel's.
        ProcessCapture.Read(from.Process.Pid, TraceesOf(from), rseq: false, brk, [], _blobs);

    /// <summary>
    /// <paramref name="resources"/>, captured from <paramref name="from"/>'s process, with its pending
    /// signals, read once nothing more is injected: those that came while the checkpoint's fork was
    /// injected were held back, and the recording delivers them after this moment; a live resume of
    /// it has them pending (with their siginfo, read before they are sent again). A thread waiting
    /// in the kernel keeps its signals by number; one interrupted for the snapshot is still stopped.
    /// </summary>
    private ProcessResources WithPendingSignals(ProcessResources resources, RecordedThread from) =>
        ProcessCapture.WithPendingSignals(resources, from.Process.Pid, TraceesOf(from), ThreadsOf(from).Where(t => t.InKernel).Select(t => t.Tid.Value).ToHashSet());

    private List<Tracee> TraceesOf(RecordedThread from) => [.. ThreadsOf(from).Select(t => t.Tracee)];

    private void WriteProcess(int index, ProcessResources resources) =>
        _writer.WriteChunk(ChunkKind.CheckpointProcess, (ulong)index, JsonSerializer.SerializeToUtf8Bytes(resources, TraceJsonContext.Default.ProcessResources));

    /// <summary>
    /// Forks a snapshot of every process (the one in hand's first: a replay starts from its thread),
    /// stopping first the threads forked from in their wait, copies the memory they share with the
    /// program, lets the program go on, and hands the snapshots to worker threads, which write them
    /// as consecutive checkpoints of one moment. The thread in hand goes on as its caller says.
    /// </summary>
    private void TakeCheckpoint()
    {
        var pause = Stopwatch.StartNew();
        var froms = _processes.OrderBy(p => p == _current.Process ? 0 : 1).Select(p => ForkedFrom(p)!).ToList();
        // Threads to fork from in their wait are stopped first, all of them: where one's call ended
        // meanwhile, the checkpoint waits for a later moment.
        var interrupted = new List<RecordedThread>();
        foreach (var from in froms.Where(WaitsInSyscall))
        {
            if (!Interrupt(from))
            {
                interrupted.ForEach(WaitAgain);
                return;
            }
            interrupted.Add(from);
        }
        var resources = froms.Select(f => CaptureProcess(f, f.Process.ProgramBreak ?? 0)).ToList();
        var forked = new List<(RecordedThread From, Tracee Snapshot, IReadOnlyList<MemoryRegion> Segments)>();
        Dictionary<(ulong, ulong), Microsoft.Win32.SafeHandles.SafeFileHandle> frozen;
        try
        {
            foreach (var from in froms)
            {
                from.Tracee.ReapSnapshots(from.Process.DeadSnapshots);
                var (snapshot, segments) = from.Tracee.ForkSnapshotWithoutSegments();
                forked.Add((from, snapshot, segments));
                snapshot.CloseDescriptors();
            }
            frozen = FreezeSharedMemory(forked.Select(f => f.From.Tracee.Tgid));
        }
        catch
        {
            forked.ForEach(f => f.Snapshot.Dispose());
            throw;
        }
        resources = [.. resources.Select((captured, i) => WithPendingSignals(captured, froms[i]))];
        interrupted.ForEach(WaitAgain);
        foreach (var (from, _, _) in forked)
        {
            RedeliverDeferred(from);
        }
        NoteOutsideAttaches();
        long pauseMicros = (long)pause.Elapsed.TotalMicroseconds;
        _lastCheckpointAt = _clock.Elapsed;
        int first = NextCheckpointIndex();
        try
        {
            var snapshots = forked.Select((f, i) => new ProcessSnapshot(f.Snapshot,
                WithThreads(f.From, SnapshotState.Read(f.Snapshot, first + i, _log.Count, Now, f.From.Process.ProgramBreak ?? 0, r => r.IsRecorded).WithSegments(f.Segments))
                    with { FrozenFiles = frozen, Moment = new CheckpointMoment(f.From.Process.Pid, first, forked.Count) })).ToList();
            // A chain of increments costs a reader their sum: past twice the size of a full image
            // (estimated by the biggest checkpoint of the chain), start a new full one.
            var bases = _chainBytes <= 2 * Math.Max(_fullBytes, _biggestBytes) ? _bases : [];
            var work = Task.Factory.StartNew(
                () =>
                {
                    // Off the CPU the program runs on with the tracer, whose mask the new thread has.
                    CpuPinning.Release(0);
                    return Persist(snapshots, resources, bases, frozen, pauseMicros);
                },
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            _pending = new PendingCheckpoint(snapshots, work);
        }
        catch
        {
            forked.ForEach(f => f.Snapshot.Dispose());
            Release(frozen);
            throw;
        }
    }

    /// <summary>
    /// Writes the images of the moment in their order, each after its process's state
    /// (<paramref name="resources"/>, in the same order) and incremental over its process's base if
    /// it has one. Worker thread.
    /// </summary>
    private List<CheckpointSummary> Persist(List<ProcessSnapshot> snapshots, List<ProcessResources> resources, Dictionary<int, ProcessSnapshot> bases,
        Dictionary<(ulong, ulong), Microsoft.Win32.SafeHandles.SafeFileHandle> frozen, long pauseMicros)
    {
        try
        {
            var summaries = new List<CheckpointSummary>();
            for (int i = 0; i < snapshots.Count; i++)
            {
                var s = snapshots[i];
                WriteProcess(s.State.Index, resources[i]);
                summaries.Add(CheckpointPersister.Persist(_writer, _blobs, s.State, s.Snapshot.Pid,
                    bases.GetValueOrDefault(s.State.Moment!.Pid) is { } b ? new BaseSnapshot(b.State.Index, b.Snapshot.Pid, b.State.Regions) : null, pauseMicros));
            }
            return summaries;
        }
        finally
        {
            Release(frozen);
        }
    }

    private int NextCheckpointIndex() => _checkpoints.Count + (_pending?.Processes.Count ?? 0);

    /// <summary>
    /// When the pending checkpoint is written (or, with <paramref name="wait"/>, once it is), its
    /// snapshots become the bases of the next one and the previous bases are freed. Tracer thread only.
    /// </summary>
    private void CollectCheckpoint(bool wait)
    {
        if (_pending is not { } p || !wait && !p.Work.IsCompleted)
        {
            return;
        }
        _pending = null;
        List<CheckpointSummary> summaries;
        try
        {
            summaries = p.Work.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not RewindException)
        {
            Dispose(p.Processes);
            throw new RewindException($"checkpoint {p.Processes[0].State.Index} could not be written into the trace: {e.Message}", e);
        }
        catch
        {
            Dispose(p.Processes);
            throw;
        }
        _checkpoints.AddRange(summaries);
        long stored = summaries.Sum(s => s.StoredBytes);
        if (summaries.All(s => s.Base == null))
        {
            _fullBytes = stored;
            _chainBytes = 0;
            _biggestBytes = 0;
        }
        else
        {
            _chainBytes += stored;
            _biggestBytes = Math.Max(_biggestBytes, stored);
        }
        Dispose(_bases.Values);
        _bases = p.Processes.ToDictionary(s => s.State.Moment!.Pid);
    }

    private void Dispose(IEnumerable<ProcessSnapshot> snapshots)
    {
        foreach (var s in snapshots)
        {
            Discard(s.Snapshot);
        }
    }

    /// <summary>Ends <paramref name="snapshot"/>, and has the process it was forked from reap it (<see cref="RecordedProcess.DeadSnapshots"/>).</summary>
    private void Discard(Tracee snapshot)
    {
        snapshot.Dispose();
        _processes.FirstOrDefault(p => p.Pid == snapshot.SnapshotOf)?.DeadSnapshots.Add(snapshot.Pid);
    }

    /// <summary>After a full checkpoint of the first process captured in place (at exec): fork its live copy, the base of its next image.</summary>
    private void ForkBaseSnapshot(SnapshotState image, CheckpointSummary summary)
    {
        if (_options.CheckpointInterval <= TimeSpan.Zero)
        {
            return;
        }
        _current.Tracee.ReapSnapshots(_current.Process.DeadSnapshots);
        var snapshot = _current.Tracee.ForkSnapshot();
        snapshot.CloseDescriptors();
        if (_bases.Remove(_current.Process.Pid, out var stale))
        {
            Discard(stale.Snapshot);
        }
        _bases[_current.Process.Pid] = new ProcessSnapshot(snapshot, image with { Regions = AddressSpace.Read(snapshot.Pid).Regions.Where(r => r.IsRecorded).ToList() });
        _fullBytes = summary.StoredBytes;
        _chainBytes = 0;
        _biggestBytes = 0;
        _lastCheckpointAt = _clock.Elapsed;
    }

    private Tracee? SnapshotOf(int pid) =>
        _bases.Values.Concat(_pending?.Processes ?? []).Select(s => s.Snapshot).Concat(_threads.Select(t => t.VforkChild?.Snapshot).OfType<Tracee>())
            .FirstOrDefault(s => s.Pid == pid);

    private bool IsSnapshot(int pid) => SnapshotOf(pid) != null;

    /// <summary>
    /// A snapshot shares the program's process group, so a terminal's ^C reaches it too: it must
    /// neither handle nor die of it. Left in its signal-delivery-stop, it stays as it was.
    /// </summary>
    private void OnSnapshotStop(int pid, Linux.WaitStatus status)
    {
        if (status.Exited || status.Signaled)
        {
            SnapshotOf(pid)?.Reaped(status);
        }
    }

    /// <summary>Writes the pending checkpoint (if the recording got that far) and frees every snapshot process.</summary>
    private void FinishCheckpoints(bool keepPending)
    {
        if (keepPending)
        {
            CollectCheckpoint(wait: true);
        }
        else if (_pending is { } p)
        {
            // Killing the snapshots makes the workers fail fast; their error no longer matters.
            Dispose(p.Processes);
            try
            {
                p.Work.Wait();
            }
            catch (AggregateException)
            {
            }
            _pending = null;
        }
        Dispose(_bases.Values);
        _bases = [];
    }
}
