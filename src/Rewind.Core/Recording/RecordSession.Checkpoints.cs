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

    /// <summary>
    /// At a syscall-exit stop whose event is logged, the process is in a settled state: exactly
    /// "after event _log.Count - 1", where a replay from this checkpoint starts. Not at a restart
    /// code: the kernel would restart that syscall on the way out, which a snapshot resumed with
    /// orig_rax -1 would not. One checkpoint at a time: a slow disk makes them sparser, never piles them up.
    /// Every other thread must be where the log says it is (<see cref="IsSettled"/>), and every
    /// other process have a thread stopped outside the kernel, which its snapshot is forked from.
    /// The threads of a process must have the same seccomp filters of the program's (each filter
    /// list is shared by the threads that have it), the one list a restored process installs again.
    /// </summary>
    private bool CheckpointDue(long result) =>
        _options.CheckpointInterval > TimeSpan.Zero && _pending == null && !Linux.Errno.IsRestart(result)
        && _clock.Elapsed - _lastCheckpointAt >= _options.CheckpointInterval
        && _threads.All(t => ReferenceEquals(t, _current) || IsSettled(t))
        && _processes.All(p => ForkedFrom(p) != null)
        && _processes.All(p => _threads.Where(t => t.Process == p).Select(t => t.Filters).Distinct().Count() <= 1);

    /// <summary>
    /// Whether a thread other than the running one is where the log says it is, with a state a
    /// checkpoint can hold: stopped after a logged event with nothing to deliver, or waiting in the
    /// kernel in a syscall whose entry is logged (it is restored before its syscall instruction,
    /// as replay keeps it), unless that syscall waits with a signal mask of its own, which hides
    /// the thread's (/proc shows the one it waits with), or creates a process (a vfork's parent
    /// waits for its child's exec, and replay forks the child where the new process event is).
    /// </summary>
    private static bool IsSettled(RecordedThread t) =>
        !t.Exiting && t.Pending == null && t.HeldRestart == null && (t.InKernel
            ? t.SyscallEntry is { } entry && t.ExtendedStateInKernel != null && !t.EntryUnlogged && !CreatesProcess(entry.SyscallNumber)
                && SyscallTable.WaitMaskAddress(entry.SyscallNumber, entry.Args(), t.Tracee) == null
            : t.Parked is { Signal: 0 } && t.AtEvent);

    private static bool CreatesProcess(int syscall) => syscall is Nr.fork or Nr.vfork or Nr.clone or Nr.clone3;

    /// <summary>
    /// The thread a snapshot of <paramref name="process"/> is forked from: the running one in its
    /// process, else one stopped after an event (one waiting in the kernel cannot run the fork);
    /// null when every thread of it waits in the kernel.
    /// </summary>
    private RecordedThread? ForkedFrom(RecordedProcess process) => process == _current.Process ? _current
        : _threads.FirstOrDefault(t => t.Process == process && !t.InKernel && IsSettled(t));

    /// <summary>
    /// <paramref name="state"/>, read from a snapshot forked from <paramref name="from"/>, with every
    /// thread of its process: <paramref name="from"/> first, then the others as the recorder keeps them.
    /// </summary>
    private SnapshotState WithThreads(RecordedThread from, SnapshotState state)
    {
        var self = new ThreadState(state.Registers, state.ExtendedState, state.BlockedSignals, from.AltStack,
            from.RobustList.Head, from.RobustList.Length, from.ClearChildTid);
        var threads = new List<CheckpointThread> { new(from.Tid, NameOf(from), self) };
        foreach (var t in ThreadsOf(from).Skip(1))
        {
            var waiting = t.InKernel ? t.SyscallEntry : null;
            var (regs, xstate) = waiting is { } entry
                ? (entry.BeforeSyscall(), t.ExtendedStateInKernel!)
                : (t.Tracee.GetRegisters(), t.Tracee.GetExtendedState());
            // The thread's own mask, which a sigwaitinfo it waits in hides part of.
            var blocked = ProcStatus.ReadThread(t.Tracee.Tgid, t.Tid.Value).Blocked
                | (waiting is { } call ? SyscallTable.UnblockedWhileWaiting(call.SyscallNumber, call.Args(), t.Tracee) : 0);
            threads.Add(new CheckpointThread(t.Tid, NameOf(t), new ThreadState(regs, xstate, blocked, t.AltStack, t.RobustList.Head, t.RobustList.Length, t.ClearChildTid)));
        }
        return state with { Threads = threads, Filters = from.Filters };
    }

    /// <summary>The threads of <paramref name="from"/>'s process in a checkpoint's order: <paramref name="from"/> first, then the others as the recorder keeps them.</summary>
    private IEnumerable<RecordedThread> ThreadsOf(RecordedThread from) => [from, .. _threads.Where(t => t.Process == from.Process && !ReferenceEquals(t, from))];

    /// <summary>
    /// What a live resume of this moment needs beyond its image (descriptors, working directory,
    /// limits, timers: docs/hibernation.md), read by hibernation's own capture while the program
    /// is stopped here, from <paramref name="from"/>'s process, but its pending signals
    /// (<see cref="WithPendingSignals"/>); null while the program is several processes, which
    /// resume does not restore together.
    /// </summary>
    private ProcessResources? CaptureProcess(RecordedThread from, ulong brk) =>
        // No thread has an rseq registration: the recorder answers rseq with ENOSYS (OnSyscallEntry).
        // No kernel mapping either: the program calls the vDSO stand-in its image holds (VdsoStandIn), not the kernel's.
        _processes.Count > 1 ? null : ProcessCapture.Read(from.Process.Pid, TraceesOf(from), rseq: false, brk, [], _blobs);

    /// <summary>
    /// <paramref name="resources"/>, captured from <paramref name="from"/>'s process, with its pending
    /// signals, read once nothing more is injected: those that came while the checkpoint's fork was
    /// injected were held back, and the recording delivers them after this moment; a live resume of
    /// it has them pending. A thread waiting in the kernel keeps its signals by number.
    /// </summary>
    private ProcessResources WithPendingSignals(ProcessResources resources, RecordedThread from) =>
        ProcessCapture.WithPendingSignals(resources, from.Process.Pid, TraceesOf(from), ThreadsOf(from).Where(t => t.InKernel).Select(t => t.Tid.Value).ToHashSet());

    private List<Tracee> TraceesOf(RecordedThread from) => [.. ThreadsOf(from).Select(t => t.Tracee)];

    private void WriteProcess(int index, ProcessResources resources) =>
        _writer.WriteChunk(ChunkKind.CheckpointProcess, (ulong)index, JsonSerializer.SerializeToUtf8Bytes(resources, TraceJsonContext.Default.ProcessResources));

    private static string NameOf(RecordedThread t) => File.ReadAllText($"/proc/{t.Tracee.Tgid}/task/{t.Tid.Value}/comm").TrimEnd('\n');

    /// <summary>
    /// Forks a snapshot of every process (the running one's first: a replay starts from its thread),
    /// copies the memory they share with the program, lets the program go on, and hands the
    /// snapshots to worker threads, which write them as consecutive checkpoints of one moment.
    /// </summary>
    private void TakeCheckpoint()
    {
        var pause = Stopwatch.StartNew();
        var resources = CaptureProcess(_current, _current.Process.ProgramBreak ?? 0);
        var forked = new List<(RecordedThread From, Tracee Snapshot, IReadOnlyList<MemoryRegion> Segments)>();
        Dictionary<(ulong, ulong), Microsoft.Win32.SafeHandles.SafeFileHandle> frozen;
        try
        {
            foreach (var process in _processes.OrderBy(p => p == _current.Process ? 0 : 1))
            {
                var from = ForkedFrom(process)!;
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
        foreach (var (from, _, _) in forked.Skip(1))
        {
            RedeliverDeferred(from);
        }
        NoteOutsideAttaches();
        resources = resources is { } captured ? WithPendingSignals(captured, _current) : null;
        ResumeAfterInjection();
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
                () => Persist(snapshots, resources, bases, frozen, pauseMicros),
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
    /// Writes the process state of a moment of one process, if captured, then the images of the
    /// moment in their order, each incremental over its process's base if it has one. Worker thread.
    /// </summary>
    private List<CheckpointSummary> Persist(List<ProcessSnapshot> snapshots, ProcessResources? resources, Dictionary<int, ProcessSnapshot> bases,
        Dictionary<(ulong, ulong), Microsoft.Win32.SafeHandles.SafeFileHandle> frozen, long pauseMicros)
    {
        try
        {
            if (resources != null)
            {
                WriteProcess(snapshots[0].State.Index, resources);
            }
            return [.. snapshots.Select(s => CheckpointPersister.Persist(_writer, _blobs, s.State, s.Snapshot.Pid,
                bases.GetValueOrDefault(s.State.Moment!.Pid) is { } b ? new BaseSnapshot(b.State.Index, b.Snapshot.Pid, b.State.Regions) : null, pauseMicros))];
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

    private static void Dispose(IEnumerable<ProcessSnapshot> snapshots)
    {
        foreach (var s in snapshots)
        {
            s.Snapshot.Dispose();
        }
    }

    /// <summary>After a full checkpoint of the first process captured in place (at exec): fork its live copy, the base of its next image.</summary>
    private void ForkBaseSnapshot(SnapshotState image, CheckpointSummary summary)
    {
        if (_options.CheckpointInterval <= TimeSpan.Zero)
        {
            return;
        }
        var snapshot = _current.Tracee.ForkSnapshot();
        snapshot.CloseDescriptors();
        if (_bases.Remove(_current.Process.Pid, out var stale))
        {
            stale.Snapshot.Dispose();
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
