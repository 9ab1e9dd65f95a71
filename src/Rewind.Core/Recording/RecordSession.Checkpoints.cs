using System.Diagnostics;
using Rewind.Checkpoints;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private PendingCheckpoint? _pending;
    private Tracee? _baseSnapshot;
    private BaseSnapshot? _baseInfo;
    private TimeSpan _lastCheckpointAt;
    private long _chainBytes;
    private long _fullBytes;
    private long _biggestBytes;

    /// <summary>A snapshot being written into the trace by worker threads.</summary>
    private sealed record PendingCheckpoint(Tracee Snapshot, SnapshotState State, Task<CheckpointSummary> Work);

    /// <summary>
    /// At a syscall-exit stop whose event is logged, the process is in a settled state: exactly
    /// "after event _log.Count - 1", where a replay from this checkpoint starts. Not at a restart
    /// code: the kernel would restart that syscall on the way out, which a snapshot resumed with
    /// orig_rax -1 would not. One checkpoint at a time: a slow disk makes them sparser, never piles them up.
    /// Every other thread must be where the log says it is (<see cref="IsSettled"/>), and the
    /// program one process: a checkpoint restores one (replay recreates the others as it goes).
    /// </summary>
    private bool CheckpointDue(long result) =>
        _options.CheckpointInterval > TimeSpan.Zero && _pending == null && !Linux.Errno.IsRestart(result) && _processes.Count == 1
        && _clock.Elapsed - _lastCheckpointAt >= _options.CheckpointInterval
        && _threads.All(t => ReferenceEquals(t, _current) || IsSettled(t));

    /// <summary>
    /// Whether a thread other than the running one is where the log says it is, with a state a
    /// checkpoint can hold: stopped after a logged event with nothing to deliver, or waiting in the
    /// kernel in a syscall whose entry is logged (it is restored before its syscall instruction,
    /// as replay keeps it), unless that syscall waits with a signal mask of its own, which hides
    /// the thread's (/proc shows the one it waits with).
    /// </summary>
    private static bool IsSettled(RecordedThread t) =>
        !t.Exiting && t.Pending == null && t.HeldRestart == null && (t.InKernel
            ? t.SyscallEntry is { } entry && t.ExtendedStateInKernel != null && !t.EntryUnlogged && SyscallTable.WaitMaskAddress(entry.SyscallNumber, entry.Args(), t.Tracee) == null
            : t.Parked is { Signal: 0 } && t.AtEvent);

    /// <summary>
    /// <paramref name="state"/>, read from a snapshot of the running thread, with every thread of
    /// the process: the running one first, then the others as the recorder keeps them.
    /// </summary>
    private SnapshotState WithThreads(SnapshotState state)
    {
        var self = new ThreadState(state.Registers, state.ExtendedState, state.BlockedSignals, _current.AltStack,
            _current.RobustList.Head, _current.RobustList.Length, _current.ClearChildTid);
        var threads = new List<CheckpointThread> { new(_current.Tid, NameOf(_current), self) };
        foreach (var t in _threads.Where(t => t.Process == _current.Process && !ReferenceEquals(t, _current)))
        {
            var (regs, xstate) = t.InKernel && t.SyscallEntry is { } entry
                ? (entry.BeforeSyscall(), t.ExtendedStateInKernel!)
                : (t.Tracee.GetRegisters(), t.Tracee.GetExtendedState());
            var blocked = ProcStatus.ReadThread(t.Tracee.Tgid, t.Tid.Value).Blocked;
            threads.Add(new CheckpointThread(t.Tid, NameOf(t), new ThreadState(regs, xstate, blocked, t.AltStack, t.RobustList.Head, t.RobustList.Length, t.ClearChildTid)));
        }
        return state with { Threads = threads };
    }

    private static string NameOf(RecordedThread t) => File.ReadAllText($"/proc/{t.Tracee.Tgid}/task/{t.Tid.Value}/comm").TrimEnd('\n');

    /// <summary>Forks the snapshot, lets the program go on, and hands the snapshot to worker threads.</summary>
    private void TakeCheckpoint()
    {
        var pause = Stopwatch.StartNew();
        var snapshot = _current.Tracee.ForkSnapshot();
        Dictionary<(ulong, ulong), Microsoft.Win32.SafeHandles.SafeFileHandle> frozen;
        try
        {
            snapshot.CloseDescriptors();
            snapshot.UnshareAnonymousMemory();
            frozen = FreezeSharedFiles(snapshot);
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
        ResumeAfterInjection();
        long pauseMicros = (long)pause.Elapsed.TotalMicroseconds;
        _lastCheckpointAt = _clock.Elapsed;
        int index = NextCheckpointIndex();
        try
        {
            var state = WithThreads(SnapshotState.Read(snapshot, index, _log.Count, Now, _current.Process.ProgramBreak ?? 0, r => r.IsRecorded)) with { FrozenFiles = frozen };
            // A chain of increments costs a reader their sum: past twice the size of a full image
            // (estimated by the biggest checkpoint of the chain), start a new full one.
            var baseInfo = _chainBytes <= 2 * Math.Max(_fullBytes, _biggestBytes) ? _baseInfo : null;
            var work = Task.Factory.StartNew(
                () => CheckpointPersister.Persist(_writer, _blobs, state, snapshot.Pid, baseInfo, pauseMicros),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            _pending = new PendingCheckpoint(snapshot, state, work);
        }
        catch
        {
            snapshot.Dispose();
            foreach (var copy in frozen.Values)
            {
                copy.Dispose();
            }
            throw;
        }
    }

    private int NextCheckpointIndex() => _checkpoints.Count + (_pending != null ? 1 : 0);

    /// <summary>
    /// When the pending checkpoint is written (or, with <paramref name="wait"/>, once it is), it
    /// becomes the base of the next one and the previous base process is freed. Tracer thread only.
    /// </summary>
    private void CollectCheckpoint(bool wait)
    {
        if (_pending is not { } p || !wait && !p.Work.IsCompleted)
        {
            return;
        }
        _pending = null;
        CheckpointSummary summary;
        try
        {
            summary = p.Work.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not RewindException)
        {
            p.Snapshot.Dispose();
            throw new RewindException($"checkpoint {p.State.Index} could not be written into the trace: {e.Message}", e);
        }
        catch
        {
            p.Snapshot.Dispose();
            throw;
        }
        _checkpoints.Add(summary);
        if (summary.Base == null)
        {
            _fullBytes = summary.StoredBytes;
            _chainBytes = 0;
            _biggestBytes = 0;
        }
        else
        {
            _chainBytes += summary.StoredBytes;
            _biggestBytes = Math.Max(_biggestBytes, summary.StoredBytes);
        }
        KeepAsBase(p.Snapshot, p.State.Index, p.State.Regions);
    }

    /// <summary>Makes <paramref name="snapshot"/> the live copy of checkpoint <paramref name="index"/> that the next one is compared with.</summary>
    private void KeepAsBase(Tracee snapshot, int index, IReadOnlyList<MemoryRegion> regions)
    {
        _baseSnapshot?.Dispose();
        _baseSnapshot = snapshot;
        _baseInfo = new BaseSnapshot(index, snapshot.Pid, regions);
    }

    /// <summary>After a full checkpoint captured in place (at exec): fork its live copy, the base of the next one.</summary>
    private void ForkBaseSnapshot(CheckpointSummary image)
    {
        if (_options.CheckpointInterval <= TimeSpan.Zero)
        {
            return;
        }
        var snapshot = _current.Tracee.ForkSnapshot();
        snapshot.CloseDescriptors();
        snapshot.UnshareAnonymousMemory();
        KeepAsBase(snapshot, image.Index, AddressSpace.Read(snapshot.Pid).Regions.Where(r => r.IsRecorded).ToList());
        _fullBytes = image.StoredBytes;
        _chainBytes = 0;
        _biggestBytes = 0;
        _lastCheckpointAt = _clock.Elapsed;
    }

    private bool IsSnapshot(int pid) => pid == _baseSnapshot?.Pid || pid == _pending?.Snapshot.Pid;

    /// <summary>
    /// A snapshot shares the program's process group, so a terminal's ^C reaches it too: it must
    /// neither handle nor die of it. Left in its signal-delivery-stop, it stays as it was.
    /// </summary>
    private void OnSnapshotStop(int pid, Linux.WaitStatus status)
    {
        if (status.Exited || status.Signaled)
        {
            (pid == _baseSnapshot?.Pid ? _baseSnapshot : _pending?.Snapshot)?.Reaped(status);
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
            // Killing the snapshot makes the workers fail fast; their error no longer matters.
            p.Snapshot.Dispose();
            try
            {
                p.Work.Wait();
            }
            catch (AggregateException)
            {
            }
            _pending = null;
        }
        _baseSnapshot?.Dispose();
        _baseSnapshot = null;
        _baseInfo = null;
    }
}
