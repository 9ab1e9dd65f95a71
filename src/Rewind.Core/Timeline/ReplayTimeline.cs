using Rewind.Linux;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Timeline;

/// <summary>
/// A trace as a debugger sees it: a present position that moves forward and backward, with
/// breakpoints and watchpoints, registers and memory readable at every stop. Backward motions
/// re-run intervals from in-memory fork snapshots taken at event boundaries and pick the last
/// hit before the present (shared/DESIGN.md §4). No JSON here: the gdb and DAP servers drive it.
/// All calls on one thread (ptrace).
/// </summary>
public sealed partial class ReplayTimeline : IDisposable
{
    private readonly TraceFile _trace;
    private readonly Action<int, ReadOnlySpan<byte>>? _output;
    private readonly SnapshotStore _snapshots;
    private readonly HashSet<RemotePtr> _breakpoints = [];
    private readonly List<Watchpoint> _watchpoints = [];
    private ReplaySession _live;
    private TimelineStop _stop;
    private bool _showOutput;
    // The boundary where the process debugged starts (ProgramProcess.Start): 0 for the first
    // process; and the index of its exit event, the trace's last for the first process.
    private readonly long _startEvent;
    private readonly long _exitEvent;

    private ReplayTimeline(TraceFile trace, Action<int, ReadOnlySpan<byte>>? output, int? process)
    {
        _trace = trace;
        _output = output;
        if (process is { } pid && pid != trace.ProcessId.Value)
        {
            var debugged = ProgramProcess.ListOf(trace).FirstOrDefault(p => p.Pid == pid)
                ?? throw new RewindException($"there is no process {pid} in this trace (rewind ps lists its processes)");
            _startEvent = debugged.Start;
            _exitEvent = debugged.End ?? TotalEvents - 1;
            StartImage = debugged.Image;
            Exit = debugged.Exit;
        }
        else
        {
            _exitEvent = TotalEvents - 1;
            Exit = trace.Summary.Exit is { } x ? new ExitStatus(x.Code, x.Signal, x.CoreDumped) : null;
        }
        // A process that starts late starts from the last checkpoint before it, of every process then.
        int checkpoint = trace.Starts.Where(c => c.EventIndex <= _startEvent).MaxBy(c => c.EventIndex)?.Index ?? 0;
        _live = ReplaySession.Start(trace, checkpoint, Output, process);
        _snapshots = new SnapshotStore(trace, _live.Fork(), _live.Debuggee);
        try
        {
            ToStart(_live);
        }
        catch
        {
            Dispose();
            throw;
        }
        _stop = new TimelineStop(StopReason.Arrived, Here(boundary: true));
    }

    /// <summary>
    /// Opens a trace at the start of the process debugged: for the first process, checkpoint 0,
    /// before the program's first instruction; for another, <paramref name="process"/> (a recorded
    /// pid, <see cref="ProgramProcess"/>), right after its last exec, or after its fork if it never
    /// exec'd (where its program is the one it was forked running), replayed from the last
    /// checkpoint before.
    /// </summary>
    /// <param name="output">Receives what the program writes to stdout (1) and stderr (2) as forward motions pass it.</param>
    public static ReplayTimeline Open(TraceFile trace, Action<int, ReadOnlySpan<byte>>? output = null, int? process = null) => new(trace, output, process);

    /// <summary>The recorded pid of the process debugged.</summary>
    public int Process => _live.Debuggee;

    /// <summary>The checkpoint of the program image the process debugged runs from its start: its exec's (0 for the first process).</summary>
    public int StartImage { get; }

    /// <summary>How the process debugged ended; null when the trace ends first.</summary>
    public ExitStatus? Exit { get; }

    /// <summary>Runs <paramref name="session"/>, at the start of the trace, to the start of the process debugged, where it stops first.</summary>
    private void ToStart(ReplaySession session)
    {
        while (session.ThreadList.Count == 0 || session.NextEvent < _startEvent)
        {
            if (session.Resume().Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace)
            {
                throw new RewindException($"process {session.Debuggee} does not run in this trace (rewind ps lists its processes)");
            }
        }
    }

    public TraceFile Trace => _trace;

    public long TotalEvents => _trace.Summary.EventCount;

    /// <summary>Where the replay stands.</summary>
    public Position Now => _stop.Position;

    /// <summary>The last stop: why the present is where it is.</summary>
    public TimelineStop Stop => _stop;

    /// <summary>The thread of the present: the one that stopped, or that runs up to the next event.</summary>
    public Tid Thread => _live.Thread;

    /// <summary>The threads alive at the present, the main thread first.</summary>
    public IReadOnlyList<ProgramThread> Threads => _live.ThreadList;

    /// <summary>The present thread's registers.</summary>
    public Registers Registers => _live.Registers;

    /// <summary>The present thread's FPU/AVX state.</summary>
    public byte[] ExtendedState => _live.Tracee.GetExtendedState();

    /// <summary>The registers of any thread alive at the present.</summary>
    public Registers RegistersOf(Tid thread) => _live.RegistersOf(thread);

    public byte[] ExtendedStateOf(Tid thread) => _live.ExtendedStateOf(thread);

    /// <summary>Memory as the program sees it at the present (breakpoints hidden).</summary>
    public int ReadMemory(RemotePtr address, Span<byte> buffer) => _live.Read(address, buffer);

    public IMemoryReader Memory => _live;

    public AddressSpace MemoryMap => AddressSpace.Read(_live.Tracee.Pid);

    public IReadOnlySet<RemotePtr> Breakpoints => _breakpoints;

    public IReadOnlyList<Watchpoint> Watchpoints => _watchpoints;

    public void AddBreakpoint(RemotePtr address)
    {
        if (_breakpoints.Add(address))
        {
            _live.AddBreakpoint(address);
        }
    }

    public void RemoveBreakpoint(RemotePtr address)
    {
        if (_breakpoints.Remove(address))
        {
            _live.RemoveBreakpoint(address);
        }
    }

    public void AddWatchpoint(Watchpoint watchpoint)
    {
        if (!_watchpoints.Contains(watchpoint))
        {
            _watchpoints.Add(watchpoint);
            try
            {
                _live.SetWatchpoints(_watchpoints);
            }
            catch
            {
                _watchpoints.Remove(watchpoint);
                throw;
            }
        }
    }

    public void RemoveWatchpoint(Watchpoint watchpoint)
    {
        if (_watchpoints.Remove(watchpoint))
        {
            _live.SetWatchpoints(_watchpoints);
        }
    }

    /// <summary>The position of the live replay, read from its registers.</summary>
    private Position Here(bool boundary)
    {
        var regs = _live.Registers;
        return new Position(_live.NextEvent, regs, StackDigest.Of(_live, regs.Sp), boundary, _live.Thread);
    }

    /// <summary>Makes <paramref name="session"/> the live replay, with the present breakpoints and watchpoints.</summary>
    private void BecomeLive(ReplaySession session)
    {
        if (!ReferenceEquals(session, _live))
        {
            _live.Dispose();
            _live = session;
        }
        _live.SetBreakpoints(_breakpoints);
        _live.SetWatchpoints(_watchpoints);
    }

    private void Output(int fd, ReadOnlySpan<byte> data)
    {
        if (_showOutput)
        {
            _output?.Invoke(fd, data);
        }
    }

    public void Dispose()
    {
        _live.Dispose();
        _snapshots.Dispose();
    }
}
