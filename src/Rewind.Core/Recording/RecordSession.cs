using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// Runs a program under ptrace and logs every nondeterministic input into a trace
/// (shared/DESIGN.md §3). Must run on one thread from start to end: ptrace belongs to a thread.
/// Every thread of the program is recorded, one running at a time (DESIGN §9): threads switch at
/// syscalls that may block, at sched_yield and exits, and by preemption when one has run its time
/// slice while others wait. Every process the program creates is recorded the same way, its
/// threads scheduled with all the others (<see cref="RecordedProcess"/>), unless the options say
/// not to: then children are traced only to let their syscalls through the seccomp filter they
/// inherit (passengers), and their effects on the program arrive through its own syscalls.
/// </summary>
public sealed partial class RecordSession : IDisposable
{
    private readonly RecordOptions _options;
    private readonly TraceWriter _writer;
    private readonly EventLog _log;
    private readonly BlobStore _blobs;
    private readonly DebugFileKeeper _debugFiles;
    private readonly Stopwatch _clock = new();
    private readonly Dictionary<int, Tracee> _passengers = [];
    // For the user: what became of the processes that left the recording, and what will not replay.
    private readonly List<string> _notes = [];
    // The syscalls the program was told do not exist (SyscallSpec.Withheld), with why, in the order first made.
    private readonly OrderedDictionary<string, string> _withheld = [];
    private readonly List<CheckpointSummary> _checkpoints = [];
    private readonly Action<RecordProgress>? _progress;
    // What the user is told while the recording goes on.
    private readonly Action<string>? _notice;
    private TimeSpan _lastProgress;
    private bool _finished;
    private StandardStreams? _streams;
    private ProgramGroup _group = null!;
    // Recording stopped early; the program runs on as a passenger, and nothing more is logged.
    private bool _recordingStopped;

    private RecordSession(RecordOptions options, Action<RecordProgress>? progress, Action<string>? notice)
    {
        _options = options;
        _progress = progress;
        _notice = notice;
        var argv = new List<string> { options.Program };
        argv.AddRange(options.Arguments);
        // The program runs on this thread's CPU (Run): where it reads CPUID itself, it reads that
        // core's APIC ids, which the table keeps so that replay reads them too.
        CpuPinning.PinHere();
        var header = TraceHeader.ForThisMachine(argv, options.WorkingDirectory, options.Environment);
        _shownCpu = ShownCpu(options.Cpu, header.Machine);
        header = header with
        {
            Machine = _shownCpu != null ? header.Machine with { Cpuid = _shownCpu.Leaves, CpuidTrap = options.Cpu } : header.Machine with { Cpuid = CpuidTable.ThisCore().Leaves },
        };
        _writer = TraceWriter.Create(options.OutputPath, header);
        _log = new EventLog(_writer);
        _blobs = new BlobStore(_writer, FileCache.OfThisUser());
        _debugFiles = new DebugFileKeeper(_writer, _blobs, options.DebugFiles, _notes.Add);
    }

    /// <summary>Records the program to its end and completes the trace; <paramref name="notice"/> hears what the user is to be told meanwhile.</summary>
    public static RecordResult Record(RecordOptions options, Action<RecordProgress>? progress = null, Action<string>? notice = null)
    {
        using var session = new RecordSession(options, progress, notice);
        return session.Run();
    }

    private StandardStreams Streams => _streams ?? throw new InvalidOperationException("the program has not started");

    private long Now => (long)(_clock.Elapsed.TotalMicroseconds);

    private RecordResult Run()
    {
        // The launcher only stops itself; the exec is ours, with argv and envp exactly as given.
        // It leads a group of its own, or joins one an anchor made, as it would without rewind.
        var anchor = GroupAnchor.ForProgram();
        Tracee launcher;
        using (anchor)
        {
            launcher = Tracee.SpawnShellStopped("kill -STOP $$; exit 127", [], _options.Environment, processGroup: anchor?.Pgid ?? 0, inheritedMask: true);
        }
        _group = new ProgramGroup(anchor?.Pgid ?? launcher.Pid);
        // The program's threads run one at a time, handed over at every stop: on our CPU.
        CpuPinning.PinWith(launcher);
        _root = new RecordedProcess(launcher);
        _processes.Add(_root);
        // The program's exec keeps the launcher's mask and the signals it ignores (OnExec).
        _current = new RecordedThread(launcher, _root, new ThreadSignals(launcher.GetSignalMask(), TrapActions.Ignoring(Checkpoints.ProcStatus.Read(launcher.Pid).Ignored)));
        _threads.Add(_current);
        TracingSetup.BeforeExec(launcher);
        string path = ProgramLookup.Resolve(_options.Program, PathOf(_options.Environment));
        string? cd = _options.WorkingDirectory == Environment.CurrentDirectory ? null : _options.WorkingDirectory;
        launcher.ExecProgram(path, [_options.Program, .. _options.Arguments], _options.Environment, cd, _options.DetachStdio);
        _streams = StandardStreams.Of(launcher.Pid);
        _clock.Start();
        OnExec();

        ExitStatus? exit = null;
        string? error = null;
        try
        {
            exit = Loop();
            // The program is gone: the terminal is ours again, as a shell takes it back when its job ends.
            _group.Dispose();
        }
        catch (UnsupportedException e)
        {
            error = e.Message;
            LetProgramGo();
        }
        FinishCheckpoints(keepPending: true);
        var detachedExit = ReleasePassengers();
        // A program let go ended outside the trace: the trace says it stopped early, the caller learns how the program ended.
        Finish(exit, error);
        return new RecordResult(exit ?? _rootExit ?? detachedExit, _log.Count, _writer.Length, error,
            [.. _notes, .. _withheld.Select(w => $"the program was told {w.Key} does not exist (ENOSYS), as Rewind cannot record it: {w.Value}")]);
    }

    private static string? PathOf(IReadOnlyList<string> environment) =>
        environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..];

    /// <summary>Runs the threads one at a time and handles their stops until every recorded process is gone; returns how the first one ended.</summary>
    private ExitStatus? Loop()
    {
        while (true)
        {
            if (_processes.Count == 0)
            {
                // The last one ended while the tracer waited for another's stop (a checkpoint's interrupt).
                return _rootExit;
            }
            if (_endAsked && !_survivorsKilled)
            {
                KillSurvivors();
            }
            if (_running == null && NextToRun() is { } next)
            {
                try
                {
                    RunOrHandle(next);
                }
                catch (UnsupportedException e) when (_current.Process != _root)
                {
                    LetProcessGo(_current.Process, e.Message);
                }
                catch (ErrnoException e) when (e.Errno == Errno.ESRCH)
                {
                    // Killed while its stop waited its turn (a fatal signal, or exit_group by another
                    // thread of its process): nothing of it runs again, and its death report follows.
                    _running = null;
                }
                CollectCheckpoint(wait: false);
                ReportProgress();
                continue;
            }
            ArmCheckpoint();
            int pid = Interop.waitpid(-1, out int raw, Interop.__WALL | Interop.__WNOTHREAD);
            if (pid < 0)
            {
                if (Marshal.GetLastPInvokeError() == Errno.EINTR)
                {
                    continue;
                }
                throw Interop.Error("waitpid");
            }
            if (OnReport(pid, new WaitStatus(raw)) is { } exit)
            {
                return exit;
            }
        }
    }

    /// <summary>Logs an event; its thread is then at a place the log names (<see cref="RecordedThread.AtEvent"/>).</summary>
    private void Append(TraceEvent e)
    {
        if (e is SignalEvent or RdtscEvent or PreemptionEvent)
        {
            LogTimeReads();
        }
        _log.Append(e);
        if (Thread(e.Tid.Value) is { } thread)
        {
            thread.AtEvent = true;
            thread.Process.Cpu.Event(thread.Tid);
        }
    }

    /// <summary>
    /// Logs the time reads the thread in hand made since its last event in its process's page
    /// (<see cref="TimeReadPage"/>), as their syscalls' events: at its stops that make an event,
    /// before that event, which came after them, and before any other thread of the process runs.
    /// Replay empties the page where this one did. They are no stops: the thread's CPU time since
    /// its last event runs on (<see cref="ThreadCpu"/>), a bound for replay's search of a place.
    /// </summary>
    private void LogTimeReads()
    {
        foreach (var read in TimeReadPage.Take(_current.Tracee, _current.Tid, Now))
        {
            _log.Append(read);
        }
    }

    /// <summary>Files what waitpid reported; returns the first process's end once every recorded process is gone.</summary>
    private ExitStatus? OnReport(int pid, WaitStatus status)
    {
        if (IsSnapshot(pid))
        {
            OnSnapshotStop(pid, status);
        }
        else if (pid == _alarm?.Pid)
        {
            _alarm.OnStop(status);
            OnSliceAlarm();
            CheckpointWhileWaiting();
            TellOfSurvivors();
        }
        else if (_processes.Find(p => p.Pid == pid) is { } process && (status.Exited || status.Signaled))
        {
            return OnProcessEnd(process, status);
        }
        else if (status.IsEvent(WaitStatus.EventExec) && _processes.Find(p => p.Pid == pid) is { } execing)
        {
            OnExecReport(execing, status);
        }
        else if (Thread(pid) is { } thread)
        {
            OnThreadReport(thread, status);
        }
        else if (!_passengers.ContainsKey(pid) && IsRecordedTask(pid))
        {
            // A new thread or process can report its first stop before its creator's clone or fork event.
            _unclaimed[pid] = status;
        }
        else
        {
            OnPassengerStop(pid, status);
        }
        return null;
    }

    /// <summary>
    /// A recorded process is gone, its leader reaped last (wait(2)): its end is logged. Returns the
    /// first process's end once no recorded process is left.
    /// </summary>
    private ExitStatus? OnProcessEnd(RecordedProcess process, WaitStatus status)
    {
        process.Leader.Reaped(status);
        if (_running?.Process == process)
        {
            _running = null;
            _interruptSent = false;
        }
        _threads.RemoveAll(t => t.Process == process);
        _processes.Remove(process);
        var exit = ExitStatus.Of(status);
        Append(new ExitEvent(new Tid(process.Pid), Now, exit));
        if (process == _root)
        {
            _rootExit = exit;
            if (_processes.Count > 0)
            {
                OnFirstProcessEnded();
            }
        }
        return _processes.Count == 0 ? _rootExit : null;
    }

    private void OnThreadReport(RecordedThread thread, WaitStatus status)
    {
        if (ReferenceEquals(thread, _running))
        {
            // An interrupt sent just before another stop can be lost with it: the next alarm sends another.
            _running = null;
            _interruptSent = false;
        }
        thread.InKernel = false;
        if (status.Exited || status.Signaled)
        {
            // A thread other than the leader is gone (its exit, or the whole process's).
            thread.Tracee.Reaped(status);
            _threads.Remove(thread);
            return;
        }
        thread.Pending = status;
        OnReady(thread);
    }

    /// <summary>
    /// Handles a stop of the thread in hand. Each handler logs what the stop means and says how
    /// the thread goes on (<see cref="Go"/>): the scheduler resumes it, or another one first.
    /// </summary>
    private void OnStop(WaitStatus status)
    {
        SettleHeldRestart(status);
        if (_current.EnteringHandler && OnHandlerEntered(status))
        {
            return;
        }
        bool signalStop = status.PtraceEvent == 0 && !status.IsSyscallStop;
        if ((_stepsTowardsPlace > 0 || _lap != null) && signalStop && status.StopSignal == Signal.SIGTRAP && IsStepTrap(_current.Tracee))
        {
            // A step is a trap too: its SIGTRAP was forced (ThreadSignals).
            _current.Signals.PutBack(_current.Tracee, Signal.SIGTRAP);
            RedeliverDeferred(_current);
            if (_current.HeldSignals.Count > 0)
            {
                OnStepTowardsSignalPlace();
            }
            else
            {
                OnInterrupted();
            }
            return;
        }
        // Something else stopped a lap round a loop: the preemption waits for the next slice alarm.
        _lap = null;
        if (_stepsTowardsPlace > 0 && !(signalStop && _current.HeldSignals.Count > 0))
        {
            // Something else stopped the thread on its way to a place: signals held back are sent
            // again now (they come after this stop), and the next slice alarm tries again. Another
            // signal, while signals are held, is for OnSignal.
            ReleaseHeldSignals();
        }
        if (status.IsEvent(WaitStatus.EventSeccomp))
        {
            OnSyscallEntry();
        }
        else if (status.IsSyscallStop)
        {
            OnSyscallExit();
        }
        else if (status.IsEvent(WaitStatus.EventExec))
        {
            OnExec();
        }
        else if (status.IsEvent(WaitStatus.EventFork) || status.IsEvent(WaitStatus.EventVfork) || status.IsEvent(WaitStatus.EventClone))
        {
            OnNewTask();
        }
        else if (status.IsEvent(WaitStatus.EventStop) && status.StopSignal == Signal.SIGTRAP)
        {
            OnInterrupted();
        }
        else if (status.IsEvent(WaitStatus.EventStop))
        {
            // Group-stop (SIGSTOP, SIGTSTP…): stay stopped as without a tracer, until SIGCONT.
            _current.Tracee.Listen();
            _current.InKernel = true;
            if (ReferenceEquals(_current.Tracee, _root.Leader))
            {
                _group.StopWithProgram();
            }
        }
        else if (status.PtraceEvent != 0)
        {
            Go(Resume.Continue);
        }
        else
        {
            OnSignal(status.StopSignal);
        }
    }

    /// <summary>
    /// A fork, vfork or clone of the thread in hand: a new thread joins the recording, and so does a
    /// new process (or it runs along unrecorded, as a passenger, where the options say so). The
    /// creator goes on to its syscall's exit, except a vfork's, which the kernel holds until its
    /// child has exec'd or exited (vfork(2)): it waits there as in a blocking syscall.
    /// </summary>
    private void OnNewTask()
    {
        int child = (int)_current.Tracee.GetEventMessage();
        var entry = _current.SyscallEntry ?? throw new RewindException($"{_current} created task {child} outside a syscall");
        ulong flags = CloneFlagsOf(entry);
        if ((flags & CloneFlags.Thread) != 0)
        {
            Join(new RecordedThread(_current.Tracee.AdoptThread(child), _current.Process, _current.Signals.ForThread()) { ClearChildTid = ClearChildTidOf(entry), TimeStampFaults = _current.TimeStampFaults, CpuidFaults = _current.CpuidFaults, OwnCpus = _current.OwnCpus, Filters = _current.Filters });
        }
        else if (_options.RecordChildren && !_recordingStopped)
        {
            var process = new RecordedProcess(Tracee.Adopt(child))
            {
                Execed = true, ProgramBreak = _current.Process.ProgramBreak, Scratch = _current.Process.Scratch?.Inherited(), ProtectionKeys = _current.Process.ProtectionKeys,
                Sealed = [.. _current.Process.Sealed],
                // A child sharing its creator's memory (vfork) patches nothing: its creator knows its stubs alone.
                Sites = (flags & CloneFlags.Vm) != 0 ? null : _current.Process.Sites?.Inherited(),
            };
            _processes.Add(process);
            // fork(2): the child has the parent's alternate stack and rdtsc mode, no robust list.
            Join(new RecordedThread(process.Leader, process, _current.Signals.ForProcess(flags)) { ClearChildTid = ClearChildTidOf(entry), TimeStampFaults = _current.TimeStampFaults, CpuidFaults = _current.CpuidFaults, OwnCpus = _current.OwnCpus, AltStack = _current.AltStack, Filters = _current.Filters });
            if (_current.UntracedCloneFlags is { } asked && entry.SyscallNumber == Nr.clone3)
            {
                // The child's copy of struct clone_args has the flags as the recorder changed them (TakeOffUntraced).
                process.Leader.Write(new RemotePtr(entry.Arg(0)), BitConverter.GetBytes(asked));
            }
            Append(new NewProcessEvent(_current.Tid, Now, child));
            if ((flags & CloneFlags.Vfork) != 0)
            {
                if ((flags & CloneFlags.Vm) != 0)
                {
                    _current.VforkChild = VforkWrites.Watch(process.Leader);
                    RedeliverDeferred(_threads[^1]);
                }
                EnterBlocking();
                // The new process event stands for the entry: replay has made the call there.
                _current.EntryUnlogged = false;
                return;
            }
        }
        else
        {
            _passengers.TryAdd(child, AdoptPassenger(child));
            NoteOutsideAttaches();
            if (!_recordingStopped && (flags & CloneFlags.Vm) == 0)
            {
                NoteSharedWithPassenger(child);
            }
        }
        Go(Resume.Syscall);
    }

    /// <summary>A child process joins the passengers, free to run on any CPU the recorder may (its parent runs pinned to ours).</summary>
    private static Tracee AdoptPassenger(int pid)
    {
        CpuPinning.Release(pid);
        return Tracee.Adopt(pid);
    }

    private RemotePtr ClearChildTidOf(in Registers entry) => CloneFlags.ClearChildTid(entry.SyscallNumber, entry.Args(), _current.Tracee);

    /// <summary>A new thread or process's first thread joins the scheduled ones, once it has reported its first stop.</summary>
    private void Join(RecordedThread thread)
    {
        if (!_unclaimed.Remove(thread.Tid.Value, out var first))
        {
            // A new task starts in a PTRACE_EVENT_STOP (ptrace(2), "Attaching and detaching"); it has
            // run nothing yet, and its set_child_tid word is written by then (schedule_tail).
            first = thread.Tracee.Wait();
        }
        if (!first.Stopped)
        {
            throw new RewindException($"the program's new {(thread.Tracee.IsLeader ? "process" : "thread")} {thread.Tid} did not start ({first})");
        }
        thread.Parked = (Resume.Continue, 0);
        _threads.Add(thread);
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is a thread of a recorded process, or a process that one of
    /// them created and whose creation is still to be reported (/proc's Tgid and PPid).
    /// </summary>
    private bool IsRecordedTask(int pid)
    {
        try
        {
            var status = File.ReadLines($"/proc/{pid}/status").Select(l => l.Split(':', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1].Trim());
            int tgid = int.Parse(status["Tgid"]), parent = int.Parse(status["PPid"]);
            return _processes.Any(p => p.Pid == tgid)
                || tgid == pid && _options.RecordChildren && !_recordingStopped && _processes.Any(p => p.Pid == parent);
        }
        catch (Exception e) when (e is IOException or KeyNotFoundException or FormatException)
        {
            return false;
        }
    }

    private void OnPassengerStop(int pid, WaitStatus status)
    {
        if (!_passengers.TryGetValue(pid, out var passenger))
        {
            // A fork child can report before its parent's fork event.
            passenger = AdoptPassenger(pid);
            _passengers[pid] = passenger;
        }
        if (status.Exited || status.Signaled)
        {
            _passengers.Remove(pid);
            OnPassengerWriteExit(passenger, ended: true);
            return;
        }
        if (status.IsEvent(WaitStatus.EventStop))
        {
            passenger.Resume(Resume.Continue);
            return;
        }
        if (status.IsEvent(WaitStatus.EventSeccomp) && OnPassengerWriteEntry(passenger))
        {
            return;
        }
        if (status.IsSyscallStop)
        {
            OnPassengerWriteExit(passenger, ended: false);
        }
        if (status.IsEvent(WaitStatus.EventFork) || status.IsEvent(WaitStatus.EventVfork) || status.IsEvent(WaitStatus.EventClone))
        {
            int child = (int)passenger.GetEventMessage();
            _passengers.TryAdd(child, AdoptPassenger(child));
        }
        int signal = status.PtraceEvent == 0 && !status.IsSyscallStop ? status.StopSignal : 0;
        if (signal == Signal.SIGSYS && FailI386Call(passenger))
        {
            signal = 0;
        }
        if (signal == Signal.SIGSEGV && TrappedInstruction(passenger, blocks: false) is (var trapped, var code, _)
            && (AnswerCpuid(passenger, trapped, code) || CompleteTimeStampRead(passenger, trapped, code) is not null))
        {
            // Children inherit the CPUID and rdtsc traps; they are not recorded, so they just get the answer.
            signal = 0;
        }
        passenger.Resume(Resume.Continue, signal);
    }

    /// <summary>
    /// Recording stops where something cannot be recorded, but the user's run goes on: every
    /// thread of the program becomes a passenger, served like its children until its natural end
    /// (it carries the seccomp filter, so it needs us). A 32-bit syscall our filter traps (SIGSYS)
    /// fails with ENOSYS instead, this one and every later one; anything else runs as the program asked.
    /// </summary>
    private void LetProgramGo()
    {
        _recordingStopped = true;
        LetGo([.. _threads]);
        foreach (var (pid, status) in _unclaimed)
        {
            OnPassengerStop(pid, status);
        }
        _unclaimed.Clear();
    }

    /// <summary>
    /// A process other than the first met what cannot be recorded: it leaves the recording, which
    /// the log says with the reason, and runs on as a passenger (its output to the program's
    /// stdout and stderr still logged, in order); the others are recorded on.
    /// </summary>
    private void LetProcessGo(RecordedProcess process, string reason)
    {
        Append(new ProcessLeftEvent(new Tid(process.Pid), Now, reason));
        _processes.Remove(process);
        _notes.Add($"process {process.Pid} left the recording: {reason}; it ran on unrecorded");
        LetGo([.. _threads.Where(t => t.Process == process)]);
        NoteOutsideAttaches();
        NoteSharedWithPassenger(process.Pid);
    }

    /// <summary>Makes <paramref name="threads"/> passengers, each going on from where it is.</summary>
    private void LetGo(List<RecordedThread> threads)
    {
        _running = null;
        foreach (var thread in threads)
        {
            _passengers[thread.Tracee.Pid] = thread.Tracee;
            // Nothing of it goes into the log any more.
            thread.EntryUnlogged = false;
        }
        foreach (var thread in threads)
        {
            if (ReferenceEquals(thread, _current) && thread.Pending is null && thread.Parked is null)
            {
                // Stopped where recording met what it cannot record.
                OnRefusedStop(thread.Tracee);
            }
            else if (thread.Pending is { } status)
            {
                OnPassengerStop(thread.Tracee.Pid, status);
            }
            else if (thread.Parked is var (_, signal))
            {
                thread.Tracee.Resume(Resume.Continue, signal);
            }
        }
        _threads.RemoveAll(threads.Contains);
    }

    /// <summary>Resumes a thread stopped at what recording refused: the syscall runs, or our filter's SIGSYS becomes ENOSYS.</summary>
    private static void OnRefusedStop(Tracee t)
    {
        if (t.GetSyscallStop() == SyscallStop.None)
        {
            FailI386Call(t);
        }
        t.Resume(Resume.Continue);
    }

    /// <summary>
    /// Lets the program's children run on to their end: they carry its seccomp filter, so they
    /// need us. Returns how the program's leader ended, if it was let go and ended meanwhile.
    /// </summary>
    private ExitStatus? ReleasePassengers()
    {
        ExitStatus? leaderExit = null;
        // No slice runs out any more; its sleeper, a child of ours, must not keep the wait below
        // waiting when a passenger is gone without a word (a thread that exec'd took the leader's pid).
        _alarm?.Dispose();
        _alarm = null;
        // A thread killed in the middle of a write never reached its exit: nothing of the program writes now.
        foreach (var thread in _threads)
        {
            thread.OutputStream = null;
        }
        LetWaitingWritesRun();
        while (_passengers.Count > 0)
        {
            int pid = Interop.waitpid(-1, out int raw, Interop.__WALL | Interop.__WNOTHREAD);
            if (pid < 0)
            {
                break;
            }
            var status = new WaitStatus(raw);
            if (Thread(pid) == null)
            {
                if (pid == _root.Pid && (status.Exited || status.Signaled))
                {
                    leaderExit = ExitStatus.Of(status);
                    _root.Leader.Reaped(status);
                    _group.Dispose();
                }
                OnPassengerStop(pid, status);
            }
        }
        return leaderExit;
    }

    /// <summary>
    /// Ends every recorded process, every thread of them reaped. All are killed first, then
    /// reaped as the kernel reports them, with whatever else of ours it reports (snapshots,
    /// passengers, which are disposed of later all the same): the init of a pid namespace the
    /// program made (unshare(2), CLONE_NEWPID) ends only once the rest of its namespace is reaped
    /// (zap_pid_ns_processes), which waits on us, their tracer, so no wait may be for it alone.
    /// </summary>
    private void KillProgram()
    {
        _running = null;
        foreach (var process in _processes)
        {
            _ = Interop.kill(process.Pid, Signal.SIGKILL);
        }
        var threads = _threads.Select(t => t.Tracee).Concat(_processes.Select(p => p.Leader)).ToList();
        while (_processes.Any(p => p.Leader.IsAlive))
        {
            int pid = Interop.waitpid(-1, out int raw, Interop.__WALL);
            if (pid < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR)
            {
                break;
            }
            foreach (var thread in threads.Where(t => t.Pid == pid))
            {
                thread.Reaped(new WaitStatus(raw));
            }
        }
        foreach (var process in _processes)
        {
            Tracee.KillProcess(process.Leader, _threads.Where(t => t.Process == process).Select(t => t.Tracee));
        }
        _processes.Clear();
        _threads.Clear();
    }

    private void Finish(ExitStatus? exit, string? error)
    {
        _log.Flush();
        // No timer flush may come after the index is written and the file closed.
        _log.Dispose();
        var summary = new TraceSummary(
            _log.Count,
            Now,
            exit is { } x ? new ExitSummary(x.Code, x.Signal, x.CoreDumped) : null,
            _checkpoints,
            _blobs.Files.ToList(),
            _log.RawBytes + _blobs.StoredBytes,
            error);
        _finished = true;
        _writer.Complete(JsonSerializer.SerializeToUtf8Bytes(summary, TraceJsonContext.Default.TraceSummary));
    }

    private void ReportProgress()
    {
        if (_progress != null && _clock.Elapsed - _lastProgress > TimeSpan.FromMilliseconds(250))
        {
            _lastProgress = _clock.Elapsed;
            _progress(new RecordProgress(_log.Count, _writer.Length, _clock.Elapsed));
        }
    }

    public void Dispose()
    {
        if (_root != null)
        {
            KillProgram();
        }
        // Before the alarm: a signal to rewind may ring it until then (OnFirstProcessEnded).
        _group?.Dispose();
        _alarm?.Dispose();
        _streams?.Dispose();
        FinishCheckpoints(keepPending: false);
        foreach (var t in _threads)
        {
            t.VforkChild?.Dispose();
        }
        foreach (var p in _passengers.Values)
        {
            p.Dispose();
        }
        _log.Dispose();
        if (!_finished)
        {
            // Whatever stopped us, the events so far stay readable: a trace without footer is recovered.
            _log.Flush();
        }
        _writer.Dispose();
    }
}
