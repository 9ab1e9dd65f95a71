using System.Text;
using Rewind.Dap.Session;
using Rewind.Replay;
using Rewind.Timeline;
using StopReason = Rewind.Timeline.StopReason;
using SessionStopReason = Rewind.Dap.Session.StopReason;
using Rewind.Symbols.Dotnet;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    /// <summary>A breakpoint as the user set it, on the addresses it resolved to.</summary>
    private sealed class UserBreakpoint(BreakpointId id, SessionStopReason reason, IReadOnlyList<RemotePtr> addresses, string? condition, string? hitCondition, string? logMessage)
    {
        public BreakpointId Id { get; } = id;
        public SessionStopReason Reason { get; } = reason;
        /// <summary>Where it is set in the timeline; a .NET line's change as the JIT compiles its method (or has not yet, at another moment).</summary>
        public IReadOnlyList<RemotePtr> Addresses { get; set; } = addresses;
        /// <summary>A .NET line's sequence points, bound to native code at each stop; empty for native code.</summary>
        public IReadOnlyList<IlLocation> Managed { get; init; } = [];
        /// <summary>What the client was last told of a .NET line's breakpoint.</summary>
        public BreakpointStatus? Reported { get; set; }
        public string? Condition { get; } = condition;
        public string? HitCondition { get; } = hitCondition;
        public string? LogMessage { get; } = logMessage;
        public int Hits { get; set; }
    }

    private readonly Dictionary<string, List<UserBreakpoint>> _sourceBreakpoints = [];
    private List<UserBreakpoint> _functionBreakpoints = [];
    private List<UserBreakpoint> _instructionBreakpoints = [];
    private List<(UserBreakpoint Breakpoint, List<Watchpoint> Watchpoints)> _dataBreakpoints = [];
    private int _nextBreakpointId = 1;

    private IEnumerable<UserBreakpoint> AllCodeBreakpoints => _sourceBreakpoints.Values.SelectMany(b => b).Concat(_functionBreakpoints).Concat(_instructionBreakpoints);

    public IReadOnlyList<BreakpointStatus> SetLineBreakpoints(string sourcePath, IReadOnlyList<LineBreakpointSpec> breakpoints) => _engine.Invoke(() =>
    {
        var statuses = new List<BreakpointStatus>();
        var set = new List<UserBreakpoint>();
        foreach (var spec in breakpoints)
        {
            var lines = _symbols.Modules.SelectMany(m => m.AddressesFor(sourcePath, spec.Line)).ToList();
            if (lines.Count == 0 && ManagedLocations(sourcePath, spec.Line) is { Count: > 0 } managed)
            {
                set.Add(new UserBreakpoint(NewId(), SessionStopReason.Breakpoint, [], spec.Condition, spec.HitCondition, spec.LogMessage) { Managed = managed });
                continue;
            }
            var b = new UserBreakpoint(NewId(), SessionStopReason.Breakpoint, lines.Select(l => AfterPrologue(l.Address)).ToList(), spec.Condition, spec.HitCondition, spec.LogMessage);
            set.Add(b);
            statuses.Add(lines.Count == 0
                ? new BreakpointStatus(b.Id, false, $"no code at {Path.GetFileName(sourcePath)}:{spec.Line} in the recorded program")
                : new BreakpointStatus(b.Id, true, Location: new SourceLocation(lines[0].File, lines[0].Line), Address: lines[0].Address));
        }
        Replace(_sourceBreakpoints.GetValueOrDefault(sourcePath) ?? [], set);
        _sourceBreakpoints[sourcePath] = set;
        // .NET lines bind to the code the JIT made at the present; each keeps its place in the answer.
        foreach (var b in set.Where(b => b.Managed.Count > 0))
        {
            statuses.Insert(set.IndexOf(b), Bind(b));
        }
        foreach (var logpoint in set.Where(b => b.LogMessage != null && b.Addresses.Count > 0 && b.Managed.Count == 0))
        {
            ReplayPastHits(logpoint);
        }
        return (IReadOnlyList<BreakpointStatus>)statuses;
    });

    public IReadOnlyList<BreakpointStatus> SetFunctionBreakpoints(IReadOnlyList<FunctionBreakpointSpec> breakpoints) => _engine.Invoke(() =>
    {
        var statuses = new List<BreakpointStatus>();
        var set = new List<UserBreakpoint>();
        foreach (var spec in breakpoints)
        {
            var addresses = _symbols.FunctionBreakpoints(spec.Name);
            RemotePtr? address = addresses.Count > 0 ? addresses[0] : null;
            var b = new UserBreakpoint(NewId(), SessionStopReason.FunctionBreakpoint, address is { } a ? [a] : [], spec.Condition, spec.HitCondition, null);
            set.Add(b);
            statuses.Add(address is { } at
                ? new BreakpointStatus(b.Id, true, Location: Location(_symbols.LineFor(at)), Address: at)
                : new BreakpointStatus(b.Id, false, $"no function named {spec.Name} in the recorded program"));
        }
        Replace(_functionBreakpoints, set);
        _functionBreakpoints = set;
        return (IReadOnlyList<BreakpointStatus>)statuses;
    });

    public IReadOnlyList<BreakpointStatus> SetInstructionBreakpoints(IReadOnlyList<InstructionBreakpointSpec> breakpoints) => _engine.Invoke(() =>
    {
        var set = breakpoints.Select(s => new UserBreakpoint(NewId(), SessionStopReason.InstructionBreakpoint, [s.Address], s.Condition, s.HitCondition, null)).ToList();
        Replace(_instructionBreakpoints, set);
        _instructionBreakpoints = set;
        return (IReadOnlyList<BreakpointStatus>)set.Select(b => new BreakpointStatus(b.Id, true, Address: b.Addresses[0], Location: Location(_symbols.LineFor(b.Addresses[0])))).ToList();
    });

    /// <summary>A breakpoint on a function's entry goes past its prologue, where the parameters can be read, as gdb places it.</summary>
    private RemotePtr AfterPrologue(RemotePtr address) =>
        _symbols.FunctionAt(address) is { } function && function.Start == address ? function.Module.AfterPrologue(function) : address;

    /// <summary>Swaps one set of code breakpoints for another in the timeline (an address two breakpoints share stays).</summary>
    private void Replace(IEnumerable<UserBreakpoint> old, IEnumerable<UserBreakpoint> @new)
    {
        foreach (var address in old.SelectMany(b => b.Addresses).ToList())
        {
            _timeline.RemoveBreakpoint(address);
        }
        foreach (var address in @new.SelectMany(b => b.Addresses))
        {
            _timeline.AddBreakpoint(address);
        }
        foreach (var address in AllCodeBreakpoints.Except(old).SelectMany(b => b.Addresses))
        {
            _timeline.AddBreakpoint(address);
        }
    }

    private BreakpointId NewId() => new(_nextBreakpointId++);

    public DataBreakpointTarget GetDataBreakpointTarget(string name, VariablesRef? container, FrameRef? frame) => _engine.Invoke(() =>
    {
        Symbols.Variable? variable = container is { } c
            ? _variableLists.GetValueOrDefault(c.Value)?.FirstOrDefault(v => v.Name == name)
            : Evaluator(frame).Evaluate(name).Variable;
        if (variable?.Address is not { } address)
        {
            return new DataBreakpointTarget(null, $"{name} is not in memory (a register or a computed value): it cannot be watched", []);
        }
        ulong size = Math.Max(1, variable.Type.ByteSize);
        if (size > 32)
        {
            return new DataBreakpointTarget(null, $"{name} is {size} bytes; the debug registers watch at most 32", []);
        }
        return new DataBreakpointTarget($"{address.Value:x}:{size}", $"{name} ({size} bytes at {address})", [DataAccess.Write, DataAccess.ReadWrite]);
    });

    public IReadOnlyList<BreakpointStatus> SetDataBreakpoints(IReadOnlyList<DataBreakpointSpec> breakpoints) => _engine.Invoke(() =>
    {
        foreach (var w in _dataBreakpoints.SelectMany(d => d.Watchpoints))
        {
            _timeline.RemoveWatchpoint(w);
        }
        _dataBreakpoints = [];
        var statuses = new List<BreakpointStatus>();
        foreach (var spec in breakpoints)
        {
            var b = new UserBreakpoint(NewId(), SessionStopReason.DataBreakpoint, [], spec.Condition, spec.HitCondition, null);
            try
            {
                var parts = spec.DataId.Split(':');
                var address = new RemotePtr(Convert.ToUInt64(parts[0], 16));
                int length = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                var kind = spec.Access == DataAccess.Write ? WatchKind.Write : WatchKind.ReadWrite;
                var watchpoints = ReplayTimeline.WatchPieces(address, length, kind);
                foreach (var w in watchpoints)
                {
                    _timeline.AddWatchpoint(w);
                }
                _dataBreakpoints.Add((b, watchpoints));
                statuses.Add(new BreakpointStatus(b.Id, true, Address: address));
            }
            catch (Exception e) when (e is RewindException or FormatException or IndexOutOfRangeException)
            {
                statuses.Add(new BreakpointStatus(b.Id, false, e is RewindException ? e.Message : $"'{spec.DataId}' is not a data breakpoint id from dataBreakpointInfo"));
            }
        }
        return (IReadOnlyList<BreakpointStatus>)statuses;
    });

    /// <summary>Whether a breakpoint stop is one the user wants (condition, hit count), printing logpoints on the way.</summary>
    private StopInfo? BreakpointHit(TimelineStop stop)
    {
        var hit = new List<BreakpointId>();
        var reason = SessionStopReason.Breakpoint;
        foreach (var b in AllCodeBreakpoints.Where(b => b.Addresses.Contains(stop.Address)))
        {
            if (!ConditionHolds(b))
            {
                continue;
            }
            if (b.LogMessage != null)
            {
                _events.Output(OutputKind.Console, Interpolate(b.LogMessage, () => Evaluator(null)) + "\n");
                continue;
            }
            hit.Add(b.Id);
            reason = b.Reason;
        }
        return hit.Count > 0 ? Report(stop, reason, hit: hit) : null;
    }

    private bool BreakpointWouldStop(TimelineStop stop) => BreakpointHit(stop) != null;

    private bool IsUserBreakpoint(RemotePtr address) => AllCodeBreakpoints.Any(b => b.Addresses.Contains(address));

    private StopInfo? DataBreakpointHit(TimelineStop stop)
    {
        var matches = _dataBreakpoints.Where(d => d.Watchpoints.Any(w => w.Address == stop.Address)).Select(d => d.Breakpoint).Where(ConditionHolds).ToList();
        return matches.Count > 0 ? Report(stop, SessionStopReason.DataBreakpoint, hit: matches.Select(b => b.Id).ToList()) : null;
    }

    /// <summary>The condition holds and the hit count is reached (DAP's forms: "5", "== 5", ">= 5", "% 5").</summary>
    private bool ConditionHolds(UserBreakpoint b)
    {
        if (b.Condition is { Length: > 0 } condition)
        {
            var value = Evaluator(null).Evaluate(condition);
            if (value.Text is "0" or "false")
            {
                return false;
            }
        }
        b.Hits++;
        if (b.HitCondition is not { Length: > 0 } hc)
        {
            return true;
        }
        string s = hc.Trim();
        int n(string x) => int.TryParse(x.Trim(), out int v) ? v : throw new RewindException($"hit count '{hc}' is not a number");
        return s.StartsWith(">=", StringComparison.Ordinal) ? b.Hits >= n(s[2..])
            : s.StartsWith('>') ? b.Hits > n(s[1..])
            : s.StartsWith("==", StringComparison.Ordinal) ? b.Hits == n(s[2..])
            : s.StartsWith('%') ? b.Hits % n(s[1..]) == 0
            : b.Hits == n(s);
    }

    /// <summary>A logpoint's message with each {expression} evaluated at the present.</summary>
    private static string Interpolate(string message, Func<ExpressionEvaluator> evaluator)
    {
        var text = new StringBuilder();
        for (int i = 0; i < message.Length; i++)
        {
            int close = message[i] == '{' ? message.IndexOf('}', i) : -1;
            if (close < 0)
            {
                text.Append(message[i]);
                continue;
            }
            string expression = message[(i + 1)..close];
            try
            {
                text.Append(evaluator().Evaluate(expression).Text);
            }
            catch (RewindException e)
            {
                text.Append($"<{e.Message}>");
            }
            i = close;
        }
        return text.ToString();
    }

    /// <summary>
    /// A logpoint set after the recording prints what it would have printed at every hit before
    /// the present (retroactive printf), in time order, marked with the event of each hit.
    /// </summary>
    private void ReplayPastHits(UserBreakpoint logpoint)
    {
        _timeline.ScanHits(logpoint.Addresses.ToHashSet(), untilPresent: true, (address, position, memory) =>
        {
            var regs = position.Registers;
            var frames = _symbols.Unwind(FrameRegistersOf(regs), memory);
            if (frames.Count > 0)
            {
                _events.Output(OutputKind.Console, $"[event {position.Event}] {Interpolate(logpoint.LogMessage!, () => Evaluator(frames[0], regs, memory))}\n");
            }
            return true;
        });
    }
}
