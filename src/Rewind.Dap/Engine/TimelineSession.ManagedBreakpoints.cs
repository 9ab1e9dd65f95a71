using Rewind.Dap.Session;
using Rewind.Symbols.Dotnet;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    // The kept PDBs, read once a session: a line's sequence points do not depend on the moment.
    private PortablePdbs? _pdbs;
    // Where the JIT's code of each sequence point is at the end of the trace, found once a session (BindAhead).
    private readonly Dictionary<IlLocation, ManagedLineBinding> _atEnd = [];

    private IReadOnlyList<IlLocation> ManagedLocations(string sourcePath, int line) =>
        _loadsDotnet ? (_pdbs ??= new PortablePdbs(_trace)).LocationsOf(sourcePath, line) : [];

    /// <summary>
    /// Binds every .NET line breakpoint again at a new present, and tells the client of those whose
    /// status changed: a method the JIT compiles after the breakpoint was set becomes breakable there.
    /// </summary>
    private void RebindManagedBreakpoints()
    {
        foreach (var b in _sourceBreakpoints.Values.SelectMany(s => s).Where(b => b.Managed.Count > 0))
        {
            var reported = b.Reported;
            var status = Bind(b);
            if (status != reported)
            {
                _events.BreakpointChanged(status);
            }
        }
    }

    /// <summary>
    /// A .NET line's breakpoint on the native code its sequence points have at the present (PDB →
    /// method token and IL offset → the JIT's IL-to-native map of each code version, through ClrMD
    /// and the data-access library), and, unless that code is the method's last (optimized), on the
    /// code it has at the end of the trace (<see cref="BindAhead"/>), which the replay arms before
    /// it exists: the tiered JIT's later versions, or the first of a method not compiled yet.
    /// Unverified, with the reason, where neither has code.
    /// </summary>
    private BreakpointStatus Bind(UserBreakpoint b)
    {
        var location = b.Managed[0].Line;
        var where = new SourceLocation(location.File, location.Line, Math.Max(1, location.Column));
        var runtime = Runtime();
        var present = runtime == null ? [] : b.Managed.Select(runtime.Bind).ToList();
        var bindings = present;
        if (present.Count == 0 || !present.All(x => x.Final))
        {
            BindAhead();
            bindings = [.. b.Managed.Select(at => _atEnd.GetValueOrDefault(at) ?? new ManagedLineBinding(at, null, [], null))];
        }
        var addresses = present.Concat(bindings).SelectMany(x => x.Addresses).Distinct().Order().Select(a => new RemotePtr(a)).ToList();
        string? problem = addresses.Count > 0 ? null
            : bindings.FirstOrDefault(x => x.Problem != null)?.Problem is { } p ? $"{p}: the JIT never compiles the line's method in this recording"
            : $"no .NET runtime can be read at the end of the recording{(_runtimeProblem is { } r ? $" ({r})" : "")}";
        if (!addresses.SequenceEqual(b.Addresses))
        {
            problem = Rearm(b, addresses) ?? problem;
        }
        b.Reported = b.Addresses.Count > 0
            ? new BreakpointStatus(b.Id, true, Location: where, Address: b.Addresses[0])
            : new BreakpointStatus(b.Id, false, problem, where);
        return b.Reported;
    }

    /// <summary>
    /// Binds every .NET line breakpoint's sequence points not bound yet at the end of the trace,
    /// where every method the program ran is compiled, in every version the tiered JIT made of it
    /// (the runtime keeps old code in its code heap: a thread may still run it): the replay is
    /// deterministic, so the JIT puts each version's code at the same address at every replay, and
    /// a breakpoint armed there (a debug register, which needs no memory) hits from before the JIT
    /// compiled it: forward, its first call stops, and the first call of its tier-1 code. The
    /// present moves there and back once per new line (a replay to the end).
    /// </summary>
    private void BindAhead()
    {
        var unknown = _sourceBreakpoints.Values.SelectMany(s => s).SelectMany(b => b.Managed).Where(at => !_atEnd.ContainsKey(at)).Distinct().ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        ForgetRuntime();
        var found = _timeline.LookAtEnd(() =>
        {
            try
            {
                using var end = ManagedRuntime.Open(_timeline);
                return unknown.Select(at => end?.Bind(at) ?? new ManagedLineBinding(at, null, [], null)).ToList();
            }
            catch (RewindException e)
            {
                return unknown.Select(at => new ManagedLineBinding(at, null, [], e.Message)).ToList();
            }
        });
        foreach (var binding in found)
        {
            _atEnd[binding.Location] = binding;
        }
    }

    /// <summary>Moves a breakpoint to other addresses in the timeline; says why when the code there cannot take one.</summary>
    private string? Rearm(UserBreakpoint b, IReadOnlyList<RemotePtr> addresses)
    {
        var others = AllCodeBreakpoints.Where(o => o != b).SelectMany(o => o.Addresses).ToHashSet();
        foreach (var old in b.Addresses.Where(a => !others.Contains(a)))
        {
            _timeline.RemoveBreakpoint(old);
        }
        b.Addresses = [];
        var armed = new List<RemotePtr>();
        try
        {
            foreach (var address in addresses)
            {
                _timeline.AddBreakpoint(address);
                armed.Add(address);
            }
        }
        catch (RewindException e)
        {
            foreach (var address in armed.Where(a => !others.Contains(a)))
            {
                _timeline.RemoveBreakpoint(address);
            }
            return $"no breakpoint can be set in the JIT's code at {addresses[0]}: {e.Message}";
        }
        b.Addresses = armed;
        return null;
    }
}
