using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// Re-runs a recorded process from a checkpoint of its trace, feeding it the logged results of
/// everything nondeterministic. Replay touches nothing outside the tracee: emulated syscalls
/// are skipped, and only syscalls that change the tracee itself run again. Every stop is checked
/// against the log; a mismatch throws <see cref="DivergenceException"/>. Breakpoints, single
/// steps and hardware watchpoints stop it for a debugger. Single thread (ptrace).
/// </summary>
public sealed partial class ReplaySession : IMemoryReader, IDisposable
{
    private readonly TraceFile _trace;
    private readonly Action<int, ReadOnlySpan<byte>>? _output;
    private readonly BreakpointTable _breakpoints;
    private readonly List<Watchpoint> _watchpoints;
    private IEnumerator<(long Index, TraceEvent Event)> _events;
    private Tracee _tracee;
    private (long Index, TraceEvent Event)? _next;
    private ulong _programBreak;
    private Action? _onSyscallExit;
    private SignalEvent? _injected;
    private SignalEvent? _pendingDelivery;
    private int _resumeSignal;
    private RemotePtr? _steppingOver;
    private bool _delivering;
    private ReplayStop? _final;

    private ReplaySession(TraceFile trace, Tracee tracee, long nextEvent, ulong programBreak, Action<int, ReadOnlySpan<byte>>? output,
        BreakpointTable breakpoints, List<Watchpoint> watchpoints)
    {
        _trace = trace;
        _output = output;
        _tracee = tracee;
        _programBreak = programBreak;
        _breakpoints = breakpoints;
        _watchpoints = watchpoints;
        _events = trace.Events(nextEvent).GetEnumerator();
        Advance();
    }

    /// <summary>Restores checkpoint <paramref name="checkpoint"/> and stands ready before its first event.</summary>
    /// <param name="output">Receives what the program writes to stdout (1) and stderr (2).</param>
    public static ReplaySession Start(TraceFile trace, int checkpoint = 0, Action<int, ReadOnlySpan<byte>>? output = null)
    {
        CpuFeatures.CheckCanReplay(trace.Header.Machine);
        var image = trace.CheckpointLayout(checkpoint);
        return new ReplaySession(trace, CheckpointRestore.Restore(trace, image), image.EventIndex, image.ProgramBreak, output, new BreakpointTable(), []);
    }

    /// <summary>The index of the next event to be reproduced.</summary>
    public long NextEvent => _next?.Index ?? _trace.Summary.EventCount;

    /// <summary>The next event to be reproduced; null at the end of the trace.</summary>
    public TraceEvent? Next => _next?.Event;

    public Tracee Tracee => _tracee;

    public TraceFile Trace => _trace;

    /// <summary>Whether the process has ended (or the trace ended); nothing can run any more.</summary>
    public bool IsOver => _final != null;

    public Registers Registers => _tracee.GetRegisters();

    /// <summary>Reads the replayed memory as the program sees it (breakpoints hidden).</summary>
    public int Read(RemotePtr address, Span<byte> buffer)
    {
        int n = _tracee.Read(address, buffer);
        _breakpoints.Hide(address, buffer[..n]);
        return n;
    }

    /// <summary>
    /// A dormant copy of this session at this moment: a forked snapshot process and the same
    /// place in the log. Resume it with <see cref="Fork"/> again, which leaves it intact.
    /// Only at a settled stop: not while a recorded signal waits to be delivered.
    /// </summary>
    public ReplaySession Fork(Action<int, ReadOnlySpan<byte>>? output = null)
    {
        if (!IsSettled)
        {
            throw new InvalidOperationException("a replay can be forked only at a settled stop");
        }
        _breakpoints.RemoveAllFromMemory(_tracee);
        Tracee copy;
        try
        {
            copy = _tracee.ForkSnapshot();
        }
        finally
        {
            _breakpoints.InsertAllIntoMemory(_tracee);
        }
        var session = new ReplaySession(_trace, copy, NextEvent, _programBreak, output, _breakpoints.CopyConfiguration(), [.. _watchpoints]);
        session._breakpoints.InsertAllIntoMemory(copy);
        DebugRegisters.Apply(copy, session._watchpoints);
        return session;
    }

    public void AddBreakpoint(RemotePtr address) => _breakpoints.Add(_tracee, address, @internal: false);

    public void RemoveBreakpoint(RemotePtr address) => _breakpoints.Remove(_tracee, address, @internal: false);

    /// <summary>Makes the user breakpoints exactly <paramref name="addresses"/>.</summary>
    public void SetBreakpoints(IReadOnlyCollection<RemotePtr> addresses)
    {
        foreach (var stale in _breakpoints.UserAddresses.Where(a => !addresses.Contains(a)).ToList())
        {
            RemoveBreakpoint(stale);
        }
        foreach (var address in addresses.Where(a => !_breakpoints.IsUser(a)))
        {
            AddBreakpoint(address);
        }
    }

    /// <summary>The event reproduced last, null before the first.</summary>
    public TraceEvent? Previous { get; private set; }

    /// <summary>At a stop where the session can be forked and its position is well defined.</summary>
    public bool IsSettled => _onSyscallExit == null && _pendingDelivery == null && _injected == null && !_delivering && _final == null && _next?.Event is not ExitEvent;

    public IReadOnlyList<Watchpoint> Watchpoints => _watchpoints;

    public void SetWatchpoints(IEnumerable<Watchpoint> watchpoints)
    {
        var list = watchpoints.ToList();
        DebugRegisters.Apply(_tracee, list);
        _watchpoints.Clear();
        _watchpoints.AddRange(list);
    }

    /// <summary>Replays to the end of the trace.</summary>
    public ReplayResult RunToEnd(Action<ReplayProgress>? progress = null)
    {
        long total = _trace.Summary.EventCount;
        var reported = DateTime.UtcNow;
        while (true)
        {
            var stop = Resume();
            switch (stop.Kind)
            {
                case ReplayStopKind.Exited:
                    return new ReplayResult(stop.Exit, NextEvent, null);
                case ReplayStopKind.EndOfTrace:
                    return new ReplayResult(null, NextEvent, stop.Note);
            }
            if (progress != null && DateTime.UtcNow - reported > TimeSpan.FromMilliseconds(250))
            {
                reported = DateTime.UtcNow;
                progress(new ReplayProgress(NextEvent, total));
            }
        }
    }

    /// <summary>
    /// Runs the process to its next stop: an event reproduced, a breakpoint, a watchpoint, a
    /// recorded signal about to be delivered, its end — or, with <paramref name="step"/>, one
    /// instruction (events inside it are handled on the way).
    /// </summary>
    public ReplayStop Resume(bool step = false)
    {
        if (_final != null)
        {
            return _final;
        }
        while (true)
        {
            if (Settle() is { } end)
            {
                return _final = end;
            }
            if (_pendingDelivery is { } delivery)
            {
                Deliver(delivery);
                _pendingDelivery = null;
            }
            if (_onSyscallExit == null && _steppingOver == null && !_breakpoints.IsEmpty && _tracee.GetRegisters().Pc is var pc && _breakpoints.Contains(pc))
            {
                // Leaving a breakpoint: run its instruction with the original byte, then put it back.
                _steppingOver = pc;
                _breakpoints.Lift(_tracee, pc, lifted: true);
            }
            // A signal is delivered by a single step, which stops in its handler: every event ends in a stop.
            var how = _onSyscallExit != null ? Rewind.Resume.Syscall : step || _steppingOver != null || _delivering ? Rewind.Resume.Step : Rewind.Resume.Continue;
            _tracee.Resume(how, _resumeSignal);
            _resumeSignal = 0;
            var status = _tracee.Wait();
            if (OnStop(status, step) is { } stop)
            {
                if (stop.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace)
                {
                    _final = stop;
                }
                return stop;
            }
        }
    }

    /// <summary>Before resuming: an end that needs no running, or an asynchronous signal's place reached.</summary>
    private ReplayStop? Settle()
    {
        if (_onSyscallExit != null || _injected != null || _pendingDelivery != null || _delivering)
        {
            return null;
        }
        while (_next?.Event is ChildOutputEvent child)
        {
            _output?.Invoke(child.Output.Fd, child.Output.Data);
            Advance();
        }
        switch (_next?.Event)
        {
            case null:
                return new ReplayStop(ReplayStopKind.EndOfTrace, Note: $"replay stopped at event {NextEvent}: {_trace.RecoveryNote ?? "the trace ends here"}");
            case ExitEvent { Status.Signal: Signal.SIGKILL } kill:
                // SIGKILL gives no stop to record where it struck; the process did nothing
                // observable after its last event, so it ends here.
                _tracee.Kill();
                Advance();
                return new ReplayStop(ReplayStopKind.Exited, Exit: kill.Status);
            case SignalEvent { Synchronous: false } signal:
                PlaceSignal(signal);
                return null;
            default:
                return null;
        }
    }

    private ReplayStop? OnStop(WaitStatus status, bool step)
    {
        if (status.Exited || status.Signaled)
        {
            return OnExit(status);
        }
        if (status.IsEvent(WaitStatus.EventSeccomp))
        {
            OnSyscall();
            // Before the process's own exit, always stop: a debugger must not lose it.
            bool exiting = _next?.Event is ExitEvent;
            return exiting || _onSyscallExit == null && !step && _steppingOver == null ? new ReplayStop(ReplayStopKind.Event) : null;
        }
        if (status.IsSyscallStop)
        {
            var exit = _onSyscallExit ?? throw Diverged("an unexpected syscall-exit stop");
            _onSyscallExit = null;
            exit();
            return step || _steppingOver != null ? null : new ReplayStop(ReplayStopKind.Event);
        }
        if (status.PtraceEvent == 0)
        {
            return OnSignal(status.StopSignal, step);
        }
        // Other ptrace events (a group-stop): nothing of the program's.
        return null;
    }

    private ReplayStop OnExit(WaitStatus status)
    {
        var actual = new ExitStatus(status.Exited ? status.ExitCode : 0, status.Signaled ? status.TermSignal : 0, status.CoreDumped);
        var recorded = Expect<ExitEvent>($"the process {actual}");
        if (recorded.Status.Code != actual.Code || recorded.Status.Signal != actual.Signal)
        {
            throw Diverged($"expected {recorded.Status}, got {actual}");
        }
        Advance();
        return new ReplayStop(ReplayStopKind.Exited, Exit: recorded.Status);
    }

    /// <summary>The next event, which must be a <typeparamref name="T"/>; otherwise the replay diverged.</summary>
    private T Expect<T>(string got) where T : TraceEvent =>
        _next?.Event as T ?? throw Diverged($"expected {Describe(_next?.Event)}, got {got}");

    private void Advance()
    {
        Previous = _next?.Event;
        _next = _events.MoveNext() ? _events.Current : null;
    }

    private DivergenceException Diverged(string detail) => new(NextEvent, detail);

    internal static string Describe(TraceEvent? e) => e switch
    {
        null => "the end of the trace",
        SyscallEvent s => $"syscall {s.Name}",
        SignalEvent g => $"signal {Signal.Name(g.Signal)}",
        RdtscEvent => "rdtsc",
        ExecEvent => "an exec",
        ChildOutputEvent => "a child's output",
        ExitEvent x => $"the process {x.Status}",
        _ => e.GetType().Name,
    };

    public void Dispose()
    {
        _tracee.Dispose();
        _events.Dispose();
    }
}
