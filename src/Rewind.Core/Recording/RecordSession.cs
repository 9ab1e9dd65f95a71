using System.Diagnostics;
using System.Text.Json;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// Runs a program under ptrace and logs every nondeterministic input into a trace
/// (shared/DESIGN.md §3). Must run on one thread from start to end: ptrace belongs to a thread.
/// Processes the program forks are traced too, only to let their syscalls through the seccomp
/// filter they inherit; they are not recorded (their effects on the program arrive through its
/// own syscalls, which are).
/// </summary>
public sealed partial class RecordSession : IDisposable
{
    private readonly RecordOptions _options;
    private readonly TraceWriter _writer;
    private readonly EventLog _log;
    private readonly BlobStore _blobs;
    private readonly Stopwatch _clock = new();
    private readonly Dictionary<int, Tracee> _passengers = [];
    private readonly List<CheckpointSummary> _checkpoints = [];
    private readonly Action<RecordProgress>? _progress;
    private Tracee _tracee = null!;
    private bool _execed;
    private ulong? _programBreak;
    private Registers? _syscallEntry;
    private TimeSpan _lastProgress;
    private bool _finished;
    private readonly Dictionary<int, byte[]> _redelivered = [];
    private readonly Dictionary<int, Registers> _passengerWrites = [];
    private readonly (ulong Dev, ulong Ino, long Size, long Mtime)?[] _ourStreams =
        [null, Linux.Interop.FileIdentity("/proc/self/fd/1"), Linux.Interop.FileIdentity("/proc/self/fd/2")];

    private RecordSession(RecordOptions options, Action<RecordProgress>? progress)
    {
        _options = options;
        _progress = progress;
        var argv = new List<string> { options.Program };
        argv.AddRange(options.Arguments);
        _writer = TraceWriter.Create(options.OutputPath, TraceHeader.ForThisMachine(argv, options.WorkingDirectory, options.Environment));
        _log = new EventLog(_writer);
        _blobs = new BlobStore(_writer);
    }

    /// <summary>Records the program to its end and completes the trace.</summary>
    public static RecordResult Record(RecordOptions options, Action<RecordProgress>? progress = null)
    {
        using var session = new RecordSession(options, progress);
        return session.Run();
    }

    private long Now => (long)(_clock.Elapsed.TotalMicroseconds);

    private RecordResult Run()
    {
        // The launcher only stops itself; the exec is ours, with argv and envp exactly as given.
        _tracee = Tracee.SpawnShellStopped("kill -STOP $$; exit 127", [], _options.Environment, ownProcessGroup: false);
        TracingSetup.BeforeExec(_tracee);
        string path = ProgramLookup.Resolve(_options.Program, PathOf(_options.Environment));
        string? cd = _options.WorkingDirectory == Environment.CurrentDirectory ? null : _options.WorkingDirectory;
        _tracee.ExecProgram(path, [_options.Program, .. _options.Arguments], _options.Environment, cd, _options.DetachStdio);
        _clock.Start();
        OnExec();

        ExitStatus? exit = null;
        string? error = null;
        try
        {
            exit = Loop();
        }
        catch (UnsupportedException e)
        {
            error = e.Message;
            _tracee.Kill();
        }
        FinishCheckpoints(keepPending: true);
        ReleasePassengers();
        Finish(exit, error);
        return new RecordResult(exit, _log.Count, _writer.Length, error);
    }

    private static string? PathOf(IReadOnlyList<string> environment) =>
        environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..];

    /// <summary>Handles stops until the recorded process is gone; returns how it ended.</summary>
    private ExitStatus? Loop()
    {
        while (true)
        {
            int pid = Interop.waitpid(-1, out int raw, Interop.__WALL | Interop.__WNOTHREAD);
            if (pid < 0)
            {
                if (Tracee.LastError == 4 /* EINTR */)
                {
                    continue;
                }
                throw Interop.Error("waitpid");
            }
            var status = new WaitStatus(raw);
            if (IsSnapshot(pid))
            {
                OnSnapshotStop(pid, status);
                continue;
            }
            if (pid != _tracee.Pid)
            {
                OnPassengerStop(pid, status);
                continue;
            }
            if (status.Exited || status.Signaled)
            {
                _tracee.Reaped(status);
                var exit = new ExitStatus(status.Exited ? status.ExitCode : 0, status.Signaled ? status.TermSignal : 0, status.CoreDumped);
                _log.Append(new ExitEvent(_tracee.Tid, Now, exit));
                return exit;
            }
            OnStop(status);
            CollectCheckpoint(wait: false);
            ReportProgress();
        }
    }

    private void OnStop(WaitStatus status)
    {
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
            int child = (int)_tracee.GetEventMessage();
            _passengers.TryAdd(child, Tracee.Adopt(child));
            _tracee.Resume(Resume.Syscall);
        }
        else if (status.IsEvent(WaitStatus.EventStop))
        {
            // Group-stop (SIGSTOP, SIGTSTP…): stay stopped as without a tracer, until SIGCONT.
            _tracee.Listen();
        }
        else if (status.PtraceEvent != 0)
        {
            _tracee.Resume(Resume.Continue);
        }
        else
        {
            OnSignal(status.StopSignal);
        }
    }

    private void OnPassengerStop(int pid, WaitStatus status)
    {
        if (!_passengers.TryGetValue(pid, out var passenger))
        {
            // A fork child can report before its parent's fork event.
            passenger = Tracee.Adopt(pid);
            _passengers[pid] = passenger;
        }
        if (status.Exited || status.Signaled)
        {
            _passengers.Remove(pid);
            return;
        }
        if (status.IsEvent(WaitStatus.EventStop))
        {
            passenger.Resume(Resume.Continue);
            return;
        }
        if (status.IsEvent(WaitStatus.EventSeccomp) && WritesToOurStreams(passenger))
        {
            // See the result at the syscall's exit: how much of it was written.
            _passengerWrites[pid] = passenger.GetRegisters();
            passenger.Resume(Resume.Syscall);
            return;
        }
        if (status.IsSyscallStop && _passengerWrites.Remove(pid, out var write))
        {
            long written = passenger.GetRegisters().Result;
            if (StandardStreams.Written(passenger, write.SyscallNumber, write.Args(), written) is { } output)
            {
                _log.Append(new ChildOutputEvent(passenger.Tid, Now, output));
            }
        }
        if (status.IsEvent(WaitStatus.EventFork) || status.IsEvent(WaitStatus.EventVfork) || status.IsEvent(WaitStatus.EventClone))
        {
            int child = (int)passenger.GetEventMessage();
            _passengers.TryAdd(child, Tracee.Adopt(child));
        }
        int signal = status.PtraceEvent == 0 && !status.IsSyscallStop ? status.StopSignal : 0;
        if (signal == Signal.SIGSEGV && CompleteTimeStampRead(passenger) is not null)
        {
            // Children inherit the rdtsc trap; they are not recorded, so they just get the counter.
            signal = 0;
        }
        passenger.Resume(Resume.Continue, signal);
    }

    /// <summary>
    /// Whether a child's syscall writes to the very stdout or stderr the program got from us (not
    /// to a pipe of its own on fd 1): that output belongs to the program's, and replay shows it.
    /// </summary>
    private bool WritesToOurStreams(Tracee passenger)
    {
        var regs = passenger.GetRegisters();
        int fd = (int)regs.Arg(0);
        if (regs.SyscallNumber is not (Nr.write or Nr.writev) || fd is not (1 or 2) || _options.DetachStdio || _ourStreams[fd] is not { } ours)
        {
            return false;
        }
        var theirs = Linux.Interop.FileIdentity($"/proc/{passenger.Pid}/fd/{fd}");
        return theirs is { } t && t.Dev == ours.Dev && t.Ino == ours.Ino;
    }

    /// <summary>Lets the program's children run on to their end: they carry its seccomp filter, so they need us.</summary>
    private void ReleasePassengers()
    {
        while (_passengers.Count > 0)
        {
            int pid = Interop.waitpid(-1, out int raw, Interop.__WALL | Interop.__WNOTHREAD);
            if (pid < 0)
            {
                break;
            }
            if (pid != _tracee.Pid)
            {
                OnPassengerStop(pid, new WaitStatus(raw));
            }
        }
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
        _tracee?.Dispose();
        FinishCheckpoints(keepPending: false);
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
