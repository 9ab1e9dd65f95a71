using Microsoft.Diagnostics.Runtime;

namespace Rewind.Symbols.Dotnet;

public sealed partial class ManagedRuntime
{
    /// <summary>
    /// Where the JIT put a sequence point at the present: the method (found by its token among the
    /// types of its module the runtime has loaded), then its IL-to-native map: the native ranges of
    /// the sequence point's first IL offset that has one. A method the JIT has not compiled (or
    /// whose type is not loaded) has no code yet; it may have some at a later moment.
    /// </summary>
    public ManagedLineBinding Bind(IlLocation at)
    {
        string assembly = Path.GetFileName(at.AssemblyPath);
        var module = _runtime.EnumerateModules().FirstOrDefault(m => m.Name == at.AssemblyPath);
        if (module == null)
        {
            return new ManagedLineBinding(at, null, [], $"{assembly} is not loaded at event {_timeline.Now.Event:N0}");
        }
        // A struct's virtual method (an async method's state machine's MoveNext) has two: the
        // unboxing stub a call through an interface takes, never compiled, and the method itself.
        var methods = module.EnumerateTypeDefToMethodTableMap()
            .Select(t => _runtime.GetTypeByMethodTable(t.MethodTable))
            .SelectMany(t => t?.Methods ?? [])
            .Where(m => m.MetadataToken == at.MethodToken).ToList();
        var method = methods.FirstOrDefault(m => m.NativeCode is not (0 or ulong.MaxValue)) ?? methods.FirstOrDefault();
        string name = method?.Signature ?? $"method 0x{at.MethodToken:x8} of {assembly}";
        if (method == null || method.NativeCode is 0 or ulong.MaxValue)
        {
            return new ManagedLineBinding(at, method?.Signature, [], $"the JIT has not compiled {name} at event {_timeline.Now.Event:N0}");
        }
        var starts = NativeStarts(method, at);
        return starts.Count > 0
            ? new ManagedLineBinding(at, name, starts, null)
            : new ManagedLineBinding(at, name, [], $"the JIT's IL-to-native map of {name} has no code for IL offset 0x{at.ILOffset:x} (line {at.Line.Line})");
    }

    /// <summary>The code of the managed method that holds <paramref name="pc"/>, with its statements; null where no managed method is.</summary>
    public ManagedCode? CodeAt(ulong pc)
    {
        if (_runtime.GetMethodByInstructionPointer(pc) is not { } method || method.Type?.Module?.Name is not { } assembly)
        {
            return null;
        }
        var statements = _pdbs.LocationsIn(assembly, method.MetadataToken)
            .SelectMany(at => NativeStarts(method, at).Select(a => new ManagedStatement(a, at.Line)))
            .OrderBy(s => s.Address).ToList();
        return new ManagedCode(method.Signature ?? method.Name ?? "?", method.NativeCode, statements);
    }

    /// <summary>Where the native code of a sequence point starts: the ranges of its first IL offset that the JIT's map has (a loop's may be several).</summary>
    private static IReadOnlyList<ulong> NativeStarts(ClrMethod method, IlLocation at)
    {
        var map = method.ILOffsetMap.Where(m => m.ILOffset >= at.ILOffset && m.ILOffset < at.EndILOffset).ToList();
        if (map.Count == 0)
        {
            return [];
        }
        int first = map.Min(m => m.ILOffset);
        return [.. map.Where(m => m.ILOffset == first).Select(m => m.StartAddress).Distinct().Order()];
    }

    /// <summary>
    /// The IL offset whose native range holds <paramref name="pc"/>. A range's end address is the
    /// next one's start (seen: the prolog's [c10, c21], IL 0's [c21, c3e]), and ClrMD's
    /// GetILOffset takes the first range that holds pc, so a statement's first instruction would
    /// read as the prolog's: the ranges are taken as half-open here.
    /// </summary>
    private static int ILOffsetAt(ClrMethod method, ulong pc) =>
        method.ILOffsetMap.FirstOrDefault(m => m.StartAddress <= pc && pc < m.EndAddress) is { EndAddress: not 0 } range
            ? range.ILOffset : method.GetILOffset(pc);
}
