using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// Re-runs a recorded process from a checkpoint of its trace, feeding it the logged results of
/// everything nondeterministic. Replay touches nothing outside the tracee: emulated syscalls
/// are skipped, and only syscalls that change the tracee itself run again. Every stop is checked
/// against the log; a mismatch throws <see cref="DivergenceException"/>. Single thread (ptrace).
/// </summary>
public sealed partial class ReplaySession : IDisposable
{
    private readonly TraceFile _trace;
    private readonly IEnumerator<(long Index, TraceEvent Event)> _events;
    private readonly Action<int, ReadOnlySpan<byte>>? _output;
    private Tracee _tracee;
    private (long Index, TraceEvent Event)? _next;
    private ulong _programBreak;
    private Action? _onSyscallExit;
    private SignalEvent? _injected;
    private int _resumeSignal;

    private ReplaySession(TraceFile trace, CheckpointImage start, Action<int, ReadOnlySpan<byte>>? output)
    {
        _trace = trace;
        _output = output;
        _programBreak = start.ProgramBreak;
        _tracee = CheckpointRestore.Restore(start, trace.Blob);
        _events = trace.Events(start.EventIndex).GetEnumerator();
        Advance();
    }

    /// <summary>Restores checkpoint <paramref name="checkpoint"/> and stands ready before its first event.</summary>
    /// <param name="output">Receives what the program writes to stdout (1) and stderr (2).</param>
    public static ReplaySession Start(TraceFile trace, int checkpoint = 0, Action<int, ReadOnlySpan<byte>>? output = null)
    {
        CpuFeatures.CheckCanReplay(trace.Header.Machine);
        return new ReplaySession(trace, trace.Checkpoint(checkpoint), output);
    }

    /// <summary>The index of the next event to be reproduced.</summary>
    public long NextEvent => _next?.Index ?? _trace.Summary.EventCount;

    public Tracee Tracee => _tracee;

    /// <summary>Replays to the end of the trace.</summary>
    public ReplayResult RunToEnd(Action<ReplayProgress>? progress = null)
    {
        long total = _trace.Summary.EventCount;
        var reported = DateTime.UtcNow;
        while (true)
        {
            if (Step() is { } result)
            {
                return result;
            }
            if (progress != null && DateTime.UtcNow - reported > TimeSpan.FromMilliseconds(250))
            {
                reported = DateTime.UtcNow;
                progress(new ReplayProgress(NextEvent, total));
            }
        }
    }

    /// <summary>Runs the tracee to its next stop and handles it; returns a result when the replay is over.</summary>
    private ReplayResult? Step()
    {
        if (_onSyscallExit == null && _injected == null)
        {
            switch (_next?.Event)
            {
                case null:
                    return EndOfTrace();
                case ExitEvent { Status.Signal: Signal.SIGKILL } kill:
                    // SIGKILL gives no stop to record where it struck; the process did nothing
                    // observable after its last event, so it ends here.
                    _tracee.Kill();
                    Advance();
                    return new ReplayResult(kill.Status, NextEvent, null);
                case SignalEvent { Synchronous: false } signal:
                    InjectAt(signal);
                    break;
            }
        }
        _tracee.Resume(_onSyscallExit != null ? Resume.Syscall : Resume.Continue, _resumeSignal);
        _resumeSignal = 0;
        var status = _tracee.Wait();
        if (status.Exited || status.Signaled)
        {
            return OnExit(status);
        }
        if (status.IsEvent(WaitStatus.EventSeccomp))
        {
            OnSyscall();
        }
        else if (status.IsSyscallStop)
        {
            var exit = _onSyscallExit ?? throw Diverged("an unexpected syscall-exit stop");
            _onSyscallExit = null;
            exit();
        }
        else if (status.PtraceEvent == 0)
        {
            OnSignal(status.StopSignal);
        }
        return null;
    }

    private ReplayResult OnExit(WaitStatus status)
    {
        var actual = new ExitStatus(status.Exited ? status.ExitCode : 0, status.Signaled ? status.TermSignal : 0, status.CoreDumped);
        var recorded = Expect<ExitEvent>($"the process {actual}");
        if (recorded.Status.Code != actual.Code || recorded.Status.Signal != actual.Signal)
        {
            throw Diverged($"expected {recorded.Status}, got {actual}");
        }
        Advance();
        return new ReplayResult(recorded.Status, NextEvent, null);
    }

    private ReplayResult EndOfTrace()
    {
        _tracee.Kill();
        string note = _trace.RecoveryNote ?? "the trace ends here";
        return new ReplayResult(null, NextEvent, $"replay stopped at event {NextEvent}: {note}");
    }

    /// <summary>The next event, which must be a <typeparamref name="T"/>; otherwise the replay diverged.</summary>
    private T Expect<T>(string got) where T : TraceEvent =>
        _next?.Event as T ?? throw Diverged($"expected {Describe(_next?.Event)}, got {got}");

    private void Advance() => _next = _events.MoveNext() ? _events.Current : null;

    private DivergenceException Diverged(string detail) => new(NextEvent, detail);

    internal static string Describe(TraceEvent? e) => e switch
    {
        null => "the end of the trace",
        SyscallEvent s => $"syscall {s.Name}",
        SignalEvent g => $"signal {Signal.Name(g.Signal)}",
        RdtscEvent => "rdtsc",
        ExecEvent => "an exec",
        ExitEvent x => $"the process {x.Status}",
        _ => e.GetType().Name,
    };

    public void Dispose()
    {
        _tracee.Dispose();
        _events.Dispose();
    }
}
