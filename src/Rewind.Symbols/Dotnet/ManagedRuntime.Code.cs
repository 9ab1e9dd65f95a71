using Microsoft.Diagnostics.Runtime;

namespace Rewind.Symbols.Dotnet;

public sealed partial class ManagedRuntime
{
    // ICorDebugInfo::NO_MAPPING: code that no IL offset maps to.
    private const int NoMapping = -1;

    private SosDac? _sos;
    private bool _sosOpened;

    // Each code version's IL-to-native map, by where the version starts: read a byte at a time,
    // and asked for again by every breakpoint of its method and every step in it at this present.
    private readonly Dictionary<ulong, IReadOnlyList<ILToNativeMap>> _maps = [];

    /// <summary>
    /// Where the JIT put a sequence point at the present: the method (found by its token among the
    /// types of its module the runtime has loaded), then, in every native code version the runtime
    /// keeps of it (tier 0, tier 1, on-stack replacement), the native ranges of the sequence point's
    /// first IL offset that has some. A method the JIT has not compiled (or whose type is not
    /// loaded) has no code yet; it may have some at a later moment, as may one whose present code
    /// the tiered JIT replaces later (<see cref="ManagedLineBinding.Final"/>).
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
        var method = methods.FirstOrDefault(HasCode) ?? methods.FirstOrDefault();
        string name = method?.Signature ?? $"method 0x{at.MethodToken:x8} of {assembly}";
        if (method == null || !HasCode(method))
        {
            return new ManagedLineBinding(at, method?.Signature, [], $"the JIT has not compiled {name} at event {_timeline.Now.Event:N0}");
        }
        var versions = CodeVersionsOf(method);
        var starts = versions.SelectMany(v => NativeStarts(MapOf(method, v), at)).Distinct().Order().ToList();
        // Optimized code is the last the JIT makes of a method: tier 1, or code of a method the
        // tiered JIT does not recompile; tier 0 (and ready-to-run code) it replaces once called often.
        bool final = versions.Any(v => v.Start == method.NativeCode && v.Tier is OptimizationTier.OptimizedTier1 or OptimizationTier.Optimized or OptimizationTier.MinOptJitted);
        return starts.Count > 0
            ? new ManagedLineBinding(at, name, starts, null, final)
            : new ManagedLineBinding(at, name, [], $"the JIT's IL-to-native map of {name} has no code for IL offset 0x{at.ILOffset:x} (line {at.Line.Line})", final);
    }

    /// <summary>The code of the managed method that holds <paramref name="pc"/>, with its statements; null where no managed method is.</summary>
    public ManagedCode? CodeAt(ulong pc)
    {
        if (_runtime.GetMethodByInstructionPointer(pc) is not { } method || method.Type?.Module?.Name is not { } assembly)
        {
            return null;
        }
        var version = VersionAt(method, pc);
        var map = MapOf(method, version);
        IReadOnlyList<ManagedStatement> Starts(IReadOnlyList<IlLocation> locations) =>
            [.. locations.SelectMany(at => NativeStarts(map, at).Select(a => new ManagedStatement(a, at.Line))).OrderBy(s => s.Address)];
        return new ManagedCode(method.Signature ?? method.Name ?? "?", version.Start, version.Start + version.Size,
            Starts(_pdbs.LocationsIn(assembly, method.MetadataToken)), Starts(_pdbs.ResumesIn(assembly, method.MetadataToken)));
    }

    /// <summary>
    /// The code that calls of the method whose descriptor is <paramref name="methodDesc"/> run at
    /// the present (its entry's code version), with its statements; null where it has none.
    /// </summary>
    public ManagedCode? CodeOfMethod(ulong methodDesc) =>
        _runtime.GetMethodByHandle(methodDesc) is { } method && HasCode(method) ? CodeAt(method.NativeCode) : null;

    private static bool HasCode(ClrMethod method) => method.NativeCode is not (0 or ulong.MaxValue);

    /// <summary>
    /// The native code versions of <paramref name="method"/> that have code; its current code alone
    /// where the data-access library cannot list them.
    /// </summary>
    private IReadOnlyList<NativeCodeVersion> CodeVersionsOf(ClrMethod method)
    {
        if (!_sosOpened)
        {
            _sosOpened = true;
            _sos = DataProcess()?.Sos();
        }
        var versions = _sos?.CodeVersionsOf(method.MethodDesc) ?? [];
        return versions.Count > 0 ? versions : [new NativeCodeVersion(method.NativeCode, (uint)method.HotColdInfo.HotSize, OptimizationTier.Unknown)];
    }

    /// <summary>The code version of <paramref name="method"/> that holds <paramref name="pc"/>.</summary>
    private NativeCodeVersion VersionAt(ClrMethod method, ulong pc)
    {
        var versions = CodeVersionsOf(method);
        return versions.FirstOrDefault(v => v.Holds(pc), versions[0]);
    }

    /// <summary>
    /// The IL-to-native map of one code version of <paramref name="method"/>, read back address by
    /// address: the library's GetILOffsetsByAddress finds the version that holds an address, where
    /// its GetILAddressMap, which ClrMD's ILOffsetMap reads, maps one version whatever the method
    /// runs (seen: a method's tier-0 map while it ran its tier-1 code). A range starts where its IL
    /// offset first holds, and ends where it no longer does. Every byte is asked, not every
    /// instruction: a range starts on an instruction, and a byte inside one answers as it does.
    /// ClrMD's map stands in where the library's IXCLRDataProcess is out of reach.
    /// </summary>
    private IReadOnlyList<ILToNativeMap> MapOf(ClrMethod method, NativeCodeVersion version)
    {
        if (DataProcess() is not { } process)
        {
            return method.ILOffsetMap;
        }
        if (!_maps.TryGetValue(version.Start, out var map))
        {
            map = ReadMap(process, version);
            _maps[version.Start] = map;
        }
        return map;
    }

    /// <summary>One code version's map, asked of the library at each of its addresses (<see cref="MapOf"/>).</summary>
    private static IReadOnlyList<ILToNativeMap> ReadMap(XclrDataProcess process, NativeCodeVersion version)
    {
        using var instance = process.MethodInstanceAt(version.Start);
        if (instance == null)
        {
            return [];
        }
        var map = new List<ILToNativeMap>();
        var open = new Dictionary<int, ulong>();
        ulong end = version.Start + version.Size;
        for (ulong address = version.Start; address <= end; address++)
        {
            var here = address < end ? instance.ILOffsetsAt(address) : [];
            foreach (var (offset, start) in open.Where(o => !here.Contains(o.Key)).ToList())
            {
                map.Add(new ILToNativeMap { ILOffset = offset, StartAddress = start, EndAddress = address });
                open.Remove(offset);
            }
            foreach (int offset in here)
            {
                open.TryAdd(offset, address);
            }
        }
        return [.. map.OrderBy(m => m.StartAddress)];
    }

    /// <summary>Where the native code of a sequence point starts: the ranges of its first IL offset that the JIT's map has (a loop's may be several).</summary>
    private static IReadOnlyList<ulong> NativeStarts(IReadOnlyList<ILToNativeMap> code, IlLocation at)
    {
        var map = code.Where(m => m.ILOffset >= at.ILOffset && m.ILOffset < at.EndILOffset).ToList();
        if (map.Count == 0)
        {
            return [];
        }
        int first = map.Min(m => m.ILOffset);
        return [.. map.Where(m => m.ILOffset == first).Select(m => m.StartAddress).Distinct().Order()];
    }

    /// <summary>
    /// The IL offset whose native range holds <paramref name="pc"/>, in the code version that holds
    /// it (the library's GetILOffsetsByAddress, whose ranges are half-open: a range's end address
    /// is the next one's start). Where the library's IXCLRDataProcess is out of reach, ClrMD's map,
    /// taken as half-open too: its GetILOffset takes the first range that holds pc, so a
    /// statement's first instruction would read as the prolog's (seen: [c10, c21], [c21, c3e]).
    /// </summary>
    private int ILOffsetAt(ClrMethod method, ulong pc)
    {
        if (DataProcess() is { } process)
        {
            using var instance = process.MethodInstanceAt(pc);
            return instance?.ILOffsetsAt(pc) is [var offset, ..] ? offset : NoMapping;
        }
        return method.ILOffsetMap.FirstOrDefault(m => m.StartAddress <= pc && pc < m.EndAddress) is { EndAddress: not 0 } range
            ? range.ILOffset : method.GetILOffset(pc);
    }
}
