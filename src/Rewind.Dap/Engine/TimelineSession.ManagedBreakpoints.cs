using Rewind.Dap.Session;
using Rewind.Symbols.Dotnet;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    // The kept PDBs, read once a session: a line's sequence points do not depend on the moment.
    private PortablePdbs? _pdbs;

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
    /// method token and IL offset → the JIT's IL-to-native map, through ClrMD); unverified, with the
    /// reason, where the code does not exist yet or cannot take a breakpoint.
    /// </summary>
    private BreakpointStatus Bind(UserBreakpoint b)
    {
        var location = b.Managed[0].Line;
        var where = new SourceLocation(location.File, location.Line, Math.Max(1, location.Column));
        var runtime = Runtime();
        var bindings = runtime == null ? [] : b.Managed.Select(runtime.Bind).ToList();
        var addresses = bindings.SelectMany(x => x.Addresses).Select(a => new RemotePtr(a)).ToList();
        string? problem = runtime == null
            ? $"no .NET runtime can be read at event {_timeline.Now.Event:N0}{(_runtimeProblem is { } p ? $" ({p})" : " (it has not started yet)")}: the line binds once replay passes the JIT's compilation of its method"
            : addresses.Count == 0 ? $"{bindings[0].Problem}: the line binds once replay passes the JIT's compilation of its method" : null;
        if (!addresses.SequenceEqual(b.Addresses))
        {
            problem = Rearm(b, addresses) ?? problem;
        }
        b.Reported = b.Addresses.Count > 0
            ? new BreakpointStatus(b.Id, true, Location: where, Address: b.Addresses[0])
            : new BreakpointStatus(b.Id, false, problem, where);
        return b.Reported;
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
            // The runtime's W^X (on by default) maps JIT'd code twice: read-write to write it, and
            // read-execute where it runs, shared; the kernel refuses a tracer's writes into a shared
            // mapping without write permission (check_vma_flags in mm/gup.c), so no int3 goes there.
            return $"no breakpoint can be written into the JIT's code at {addresses[0]} ({e.Message}): a runtime with W^X on (the default) maps that code read-only and shared; record with DOTNET_EnableWriteXorExecute=0";
        }
        b.Addresses = armed;
        return null;
    }
}
