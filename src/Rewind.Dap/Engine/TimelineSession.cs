using Rewind.Dap.Session;
using Rewind.Symbols;
using Rewind.Timeline;
using StopReason = Rewind.Timeline.StopReason;
using Rewind.Trace;
using SessionDirection = Rewind.Dap.Session.Direction;
using TimelineDirection = Rewind.Timeline.Direction;

namespace Rewind.Dap.Engine;

/// <summary>
/// The DAP seam implemented over the replay timeline and the program's debug information. Every
/// engine call runs on the <see cref="EngineThread"/>; motions are posted and report their stop
/// through the event sink; handles to scopes and values live until the next motion.
/// </summary>
internal sealed partial class TimelineSession : IDebugSession
{
    private readonly EngineThread _engine;
    private readonly IDebugEventSink _events;
    private readonly TraceFile _trace;
    private readonly ReplayTimeline _timeline;
    private readonly SymbolTable _symbols;
    // Whether the program loads a .NET runtime (CoreCLR) at some moment: only then is ClrMD opened.
    private readonly bool _loadsDotnet;
    // The threads the client was told of (thread events), to tell it what changed at the next stop.
    private readonly HashSet<Tid> _announced = [];
    private volatile bool _pauseRequested;

    private TimelineSession(EngineThread engine, IDebugEventSink events, TraceFile trace, ReplayTimeline timeline, SymbolTable symbols)
    {
        _engine = engine;
        _events = events;
        _trace = trace;
        _timeline = timeline;
        _symbols = symbols;
        // A self-contained single-file app links the runtime into its executable: no libcoreclr.so
        // is mapped, but the trace kept the runtime's data-access library.
        _loadsDotnet = symbols.Modules.Any(m => Path.GetFileName(m.Path) == "libcoreclr.so")
            || trace.DebugFiles.Any(f => Path.GetFileName(f.Path) == "libmscordaccore.so");
        foreach (var error in symbols.Errors)
        {
            events.Output(OutputKind.Console, $"rewind: {error}\n");
        }
    }

    public static TimelineSession Open(string tracePath, IDebugEventSink events, int? pid = null)
    {
        var engine = new EngineThread();
        try
        {
            return engine.Invoke(() =>
            {
                var trace = TraceFile.Open(tracePath);
                try
                {
                    var timeline = ReplayTimeline.Open(trace, (fd, data) =>
                        events.Output(fd == 1 ? OutputKind.Stdout : OutputKind.Stderr, System.Text.Encoding.UTF8.GetString(data)), pid);
                    return new TimelineSession(engine, events, trace, timeline, ProgramSymbols.Load(trace, timeline.Process));
                }
                catch
                {
                    trace.Dispose();
                    throw;
                }
            });
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public TimelinePosition Position => _engine.Invoke(() => PositionOf(_timeline.Now));

    private TimelinePosition PositionOf(Timeline.Position p) => new(p.Event, _timeline.TotalEvents);

    public void Start(StartAt at) => Motion(() =>
    {
        bool crashed = _timeline.Exit is { Signal: not 0 };
        if (at == StartAt.End || at == StartAt.Auto && crashed)
        {
            var stop = _timeline.RunToPercent(100);
            return stop.Reason == StopReason.Signal ? SignalStop(stop) : Report(stop, Session.StopReason.Entry);
        }
        return Report(_timeline.Stop, Session.StopReason.Entry);
    });

    public IReadOnlyList<TimelineEntry> GetTimeline(int maxEntries) => _engine.Invoke(() =>
    {
        var entries = new List<TimelineEntry> { new(TimelineEntryKind.Start, 0, "start") };
        foreach (var c in _trace.Summary.Checkpoints)
        {
            entries.Add(new TimelineEntry(TimelineEntryKind.Checkpoint, c.EventIndex, $"checkpoint {c.Index}"));
        }
        // A thread starts at the clone whose result is a tid that later events name (not a child process).
        var clones = new List<(long Index, Tid Child)>();
        var named = new HashSet<Tid>();
        foreach (var (index, e) in _trace.Events())
        {
            named.Add(e.Tid);
            switch (e)
            {
                case SyscallEvent { Number: Syscalls.Nr.clone or Syscalls.Nr.clone3, Result: > 0 } c:
                    clones.Add((index, new Tid((int)c.Result)));
                    break;
                case SyscallEvent { Number: Syscalls.Nr.exit } x:
                    entries.Add(new TimelineEntry(TimelineEntryKind.Thread, index, $"thread {x.Tid} exited", x.Tid));
                    break;
                case SignalEvent s:
                    entries.Add(new TimelineEntry(TimelineEntryKind.Signal, index, Linux.Signal.Name(s.Signal), e.Tid));
                    break;
                case SyscallEvent { Output: { } o }:
                    string text = System.Text.Encoding.UTF8.GetString(o.Data).TrimEnd('\n');
                    entries.Add(new TimelineEntry(TimelineEntryKind.Output, index, text.Length > 80 ? text[..80] + "…" : text, e.Tid, o.Fd == 1 ? "stdout" : "stderr"));
                    break;
                case ExitEvent x:
                    entries.Add(new TimelineEntry(TimelineEntryKind.Exit, index, x.Status.ToString(), e.Tid));
                    break;
            }
        }
        entries.AddRange(clones.Where(c => named.Contains(c.Child)).Select(c => new TimelineEntry(TimelineEntryKind.Thread, c.Index, $"thread {c.Child} started", c.Child)));
        entries.Sort((a, b) => a.Event.CompareTo(b.Event));
        if (entries.Count > maxEntries && maxEntries > 0)
        {
            // Keep the start, the end and the signals; thin the rest evenly.
            var keep = entries.Where(e => e.Kind is TimelineEntryKind.Start or TimelineEntryKind.Exit or TimelineEntryKind.Signal).ToHashSet();
            var rest = entries.Where(e => !keep.Contains(e)).ToList();
            int room = Math.Max(0, maxEntries - keep.Count);
            var picked = rest.Where((_, i) => room > 0 && i % Math.Max(1, (rest.Count + room - 1) / room) == 0).Take(room);
            entries = [.. keep.Concat(picked).OrderBy(e => e.Event)];
        }
        return (IReadOnlyList<TimelineEntry>)entries;
    });

    /// <summary>
    /// The threads alive at the present, named as the program named them, with their recorded
    /// tids: a .NET thread by its Thread.Name, which the kernel's 15-byte name cuts short.
    /// </summary>
    public IReadOnlyList<ThreadInfo> GetThreads() => _engine.Invoke(() =>
    {
        var managed = Runtime()?.Threads.Where(t => t.Name != null).ToDictionary(t => t.Tid, t => t.Name) ?? [];
        return (IReadOnlyList<ThreadInfo>)[.. _timeline.Threads.Select(t => new ThreadInfo(t.Tid, $"{managed.GetValueOrDefault(t.Tid) ?? t.Name} ({t.Tid})"))];
    });

    /// <summary>Runs a motion on the engine thread and reports its stop; an error ends in a stop where it happened, with a message.</summary>
    private void Motion(Func<StopInfo> motion)
    {
        _pauseRequested = false;
        _engine.Post(() =>
        {
            ForgetHandles();
            StopInfo stop;
            try
            {
                stop = motion();
            }
            catch (DivergenceException e)
            {
                _events.Ended(e.Message);
                return;
            }
            catch (RewindException e)
            {
                _events.Output(OutputKind.Console, $"rewind: {e.Message}\n");
                stop = Report(_timeline.Stop, Session.StopReason.Pause, e.Message);
            }
            catch (Exception e)
            {
                // A bug of ours: the session stays usable where it stopped, and the details go to the log.
                Console.Error.WriteLine($"rewind dap: internal error during a motion: {e}");
                _events.Output(OutputKind.Console, $"rewind: internal error: {e.GetType().Name}: {e.Message}\n");
                stop = Report(_timeline.Stop, Session.StopReason.Pause, "internal error");
            }
            // Whatever the motion looked at on its way is stale at the stop.
            ForgetHandles();
            try
            {
                RebindManagedBreakpoints();
            }
            catch (Exception e) when (e is RewindException or InvalidOperationException or Microsoft.Diagnostics.Runtime.ClrDiagnosticsException)
            {
                // The data-access library may fail to read the runtime at some moments: the lines keep their bindings, the stop is reported.
                _events.Output(OutputKind.Console, $"rewind: .NET line breakpoints were not bound again at this stop: {e.Message}\n");
            }
            _events.Stopped(stop);
        });
    }

    private StopInfo Report(TimelineStop stop, Session.StopReason reason, string? description = null, IReadOnlyList<BreakpointId>? hit = null)
    {
        AnnounceThreads();
        return new(reason, _timeline.Thread, PositionOf(stop.Position), description ?? stop.Note, hit);
    }

    /// <summary>Thread events for the threads that appeared and disappeared since the last stop, going either way in time.</summary>
    private void AnnounceThreads()
    {
        var alive = _timeline.Threads.Select(t => t.Tid).ToHashSet();
        foreach (var gone in _announced.Where(t => !alive.Contains(t)).ToList())
        {
            _announced.Remove(gone);
            _events.ThreadExited(gone);
        }
        foreach (var fresh in alive.Where(_announced.Add))
        {
            _events.ThreadStarted(fresh);
        }
    }

    private static TimelineDirection Map(SessionDirection d) => d == SessionDirection.Forward ? TimelineDirection.Forward : TimelineDirection.Backward;

    public void Pause()
    {
        _pauseRequested = true;
        _timeline.Interrupt();
    }

    public void Dispose()
    {
        _engine.Invoke(() =>
        {
            ForgetRuntime();
            _pdbs?.Dispose();
            _timeline.Dispose();
            _trace.Dispose();
        });
        _engine.Dispose();
    }
}
