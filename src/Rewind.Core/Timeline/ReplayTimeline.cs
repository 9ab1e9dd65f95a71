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

    private ReplayTimeline(TraceFile trace, Action<int, ReadOnlySpan<byte>>? output)
    {
        _trace = trace;
        _output = output;
        _live = ReplaySession.Start(trace, 0, Output);
        _snapshots = new SnapshotStore(trace, _live.Fork());
        _stop = new TimelineStop(StopReason.Arrived, Here(boundary: true));
    }

    /// <summary>Opens a trace at its start (checkpoint 0, before the program's first instruction).</summary>
    /// <param name="output">Receives what the program writes to stdout (1) and stderr (2) as forward motions pass it.</param>
    public static ReplayTimeline Open(TraceFile trace, Action<int, ReadOnlySpan<byte>>? output = null) => new(trace, output);

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
