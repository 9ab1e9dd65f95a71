using Rewind.Symbols.Dwarf;
using Rewind.Symbols.Unwinding;

namespace Rewind.Symbols;

public sealed partial class SymbolTable
{
    private const int MaxTailCallDepth = 8;
    private const int MaxTailCallPaths = 16;

    /// <summary>
    /// Frames of functions that were left by a tail call between a callee and its caller, found
    /// as gdb finds them (dwarf2/frame-tailcall.c): the caller's call site names a function,
    /// and a unique chain of tail-call sites leads from it to the callee. Innermost first.
    /// </summary>
    private List<(Module Module, Die CallSite, Die Function)> TailCalls(PhysicalFrame callee, PhysicalFrame caller)
    {
        var none = new List<(Module, Die, Die)>();
        if (callee.IsSignalTrampoline || caller.IsSignalTrampoline || caller.Module is not { } callerModule
            || caller.Registers.Pc is not { } ra || callee.Module is not { } calleeModule || callee.Registers.Pc is not { } calleePc)
            return none;
        try
        {
            ulong calleeLookup = callee.PcIsExact ? calleePc : calleePc - 1;
            var calleeFunction = calleeModule.FunctionAt(new RemotePtr(calleeLookup));
            if (calleeFunction is null)
                return none;
            ulong calleeEntry = calleeFunction.Die is { } d && Module.EntryOf(d) is { } e ? e + calleeModule.LoadBias : calleeFunction.Start.Value;
            var callerSub = callerModule.SubprogramAt(ra - 1 - callerModule.LoadBias);
            if (callerSub is null || Module.CallSiteAt(callerSub, ra - callerModule.LoadBias) is not { } site)
                return none;
            if (callerModule.CallTarget(site, AddressOfFunction) is not { } target || target == calleeEntry)
                return none;
            var paths = new List<List<(Module, Die, Die)>>();
            Search(target, calleeEntry, [], paths, 0);
            if (paths.Count != 1)
                return none;
            var path = paths[0];
            path.Reverse();
            return path;
        }
        catch (DebugInfoException)
        {
            return none;
        }
    }

    private void Search(ulong function, ulong calleeEntry, List<(Module, Die, Die)> current, List<List<(Module, Die, Die)>> paths, int depth)
    {
        if (depth >= MaxTailCallDepth || paths.Count >= MaxTailCallPaths)
            return;
        var module = ModuleAt(new RemotePtr(function));
        if (module?.SubprogramAt(function - module.LoadBias) is not { } sub)
            return;
        foreach (var site in Module.CallSites(sub).Where(Module.IsTailCall))
        {
            if (module.CallTarget(site, AddressOfFunction) is not { } next)
                continue;
            var step = new List<(Module, Die, Die)>(current) { (module, site, sub) };
            if (next == calleeEntry)
                paths.Add(step);
            else if (!current.Any(c => ReferenceEquals(c.Item3, sub)))
                Search(next, calleeEntry, step, paths, depth + 1);
        }
    }

    private ulong? AddressOfFunction(string name)
    {
        foreach (var m in _modules)
            if (m.FunctionAddress(name) is { } a)
                return a;
        return null;
    }
}
