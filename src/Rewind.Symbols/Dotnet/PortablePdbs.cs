using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Rewind.Trace;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// C# lines of managed code from the portable PDBs the recorder kept beside the assemblies, or
/// embedded in them (Portable PDB v1.0 specification: a method's sequence points map IL offsets
/// to document lines). An assembly without a PDB has no lines; its frames still have their names.
/// </summary>
public sealed class PortablePdbs(TraceFile trace) : IDisposable
{
    private readonly Dictionary<string, MetadataReaderProvider?> _byAssembly = new(StringComparer.Ordinal);
    private readonly EmbeddedPdbs _embedded = new(trace);

    /// <summary>
    /// The source line of IL offset <paramref name="ilOffset"/> in method <paramref name="methodToken"/>
    /// of the assembly recorded at <paramref name="assemblyPath"/>: the last visible sequence point
    /// at or before it (hidden ones, line 0xfeefee, stand for no source line).
    /// </summary>
    public SourceLine? LineOf(string assemblyPath, int methodToken, int ilOffset)
    {
        if (ilOffset < 0 || Reader(assemblyPath) is not { } pdb)
        {
            return null;
        }
        var handle = MetadataTokens.EntityHandle(methodToken);
        if (handle.Kind != HandleKind.MethodDefinition)
        {
            return null;
        }
        var method = ((MethodDefinitionHandle)handle).ToDebugInformationHandle();
        SequencePoint? best = null;
        foreach (var point in pdb.GetMethodDebugInformation(method).GetSequencePoints())
        {
            if (point.Offset > ilOffset)
            {
                break;
            }
            if (!point.IsHidden)
            {
                best = point;
            }
        }
        if (best is not { } found)
        {
            return null;
        }
        string file = pdb.GetString(pdb.GetDocument(found.Document).Name);
        return new SourceLine(file, found.StartLine, found.StartColumn, true, RemotePtr.Null);
    }

    /// <summary>
    /// The sequence points where line <paramref name="line"/> of <paramref name="sourcePath"/>
    /// starts, in every method of every kept PDB that has code there; a line without code moves to
    /// the next one that has some, as a native line breakpoint does. A method gets its first
    /// sequence point on that line (a lambda's line is its own method's as well as its parent's).
    /// </summary>
    public IReadOnlyList<IlLocation> LocationsOf(string sourcePath, int line)
    {
        var found = new List<(IlLocation Location, int Line)>();
        foreach (string assembly in AssembliesWithPdbs())
        {
            if (Reader(assembly) is not { } pdb)
            {
                continue;
            }
            foreach (var handle in pdb.MethodDebugInformation)
            {
                var points = pdb.GetMethodDebugInformation(handle).GetSequencePoints().ToList();
                for (int i = 0; i < points.Count; i++)
                {
                    var p = points[i];
                    if (p.IsHidden || p.StartLine < line || !Module.FileMatches(pdb.GetString(pdb.GetDocument(p.Document).Name), sourcePath))
                    {
                        continue;
                    }
                    found.Add((Location(pdb, assembly, MetadataTokens.GetToken(handle.ToDefinitionHandle()), points, i), p.StartLine));
                }
            }
        }
        var next = found.Where(f => f.Line >= line).Select(f => f.Line).DefaultIfEmpty().Min();
        return [.. found.Where(f => f.Line == next).GroupBy(f => (f.Location.AssemblyPath, f.Location.MethodToken)).Select(g => g.MinBy(f => f.Location.ILOffset).Location)];
    }

    /// <summary>
    /// The assemblies whose PDB the trace holds: one kept beside it (the assembly named by the
    /// PDB's path), or one embedded in it (DebugType=embedded), which only reading it tells.
    /// </summary>
    private IEnumerable<string> AssembliesWithPdbs() =>
        trace.DebugFiles.Where(f => f.Path.EndsWith(".pdb", StringComparison.Ordinal)).Select(f => Path.ChangeExtension(f.Path, ".dll"))
            .Concat(_embedded.Assemblies).Distinct(StringComparer.Ordinal);

    /// <summary>Every visible sequence point of method <paramref name="methodToken"/> of the assembly at <paramref name="assemblyPath"/>, in IL order; empty without its PDB.</summary>
    public IReadOnlyList<IlLocation> LocationsIn(string assemblyPath, int methodToken)
    {
        var handle = MetadataTokens.EntityHandle(methodToken);
        if (Reader(assemblyPath) is not { } pdb || handle.Kind != HandleKind.MethodDefinition)
        {
            return [];
        }
        var points = pdb.GetMethodDebugInformation(((MethodDefinitionHandle)handle).ToDebugInformationHandle()).GetSequencePoints().ToList();
        var locations = new List<IlLocation>();
        for (int i = 0; i < points.Count; i++)
        {
            if (!points[i].IsHidden)
            {
                locations.Add(Location(pdb, assemblyPath, methodToken, points, i));
            }
        }
        return locations;
    }

    /// <summary>
    /// The named locals of method <paramref name="methodToken"/> in scope at IL offset
    /// <paramref name="ilOffset"/>, by slot of its local signature (the PDB's local scopes, inner
    /// ones last, so an inner scope's name of a reused slot wins); the compiler's hidden ones and
    /// its unnamed temporaries are not there. Empty without the PDB, or in the prolog (offset -2).
    /// </summary>
    public IReadOnlyList<(int Slot, string Name)> LocalsAt(string assemblyPath, int methodToken, int ilOffset)
    {
        var handle = MetadataTokens.EntityHandle(methodToken);
        if (ilOffset < 0 || Reader(assemblyPath) is not { } pdb || handle.Kind != HandleKind.MethodDefinition)
        {
            return [];
        }
        var names = new SortedDictionary<int, string>();
        foreach (var scopeHandle in pdb.GetLocalScopes((MethodDefinitionHandle)handle))
        {
            var scope = pdb.GetLocalScope(scopeHandle);
            if (ilOffset < scope.StartOffset || ilOffset >= scope.EndOffset)
            {
                continue;
            }
            foreach (var variableHandle in scope.GetLocalVariables())
            {
                var variable = pdb.GetLocalVariable(variableHandle);
                if ((variable.Attributes & LocalVariableAttributes.DebuggerHidden) == 0)
                {
                    names[variable.Index] = pdb.GetString(variable.Name);
                }
            }
        }
        return [.. names.Select(n => (n.Key, n.Value))];
    }

    // Portable PDB, "State Machine Hoisted Local Scopes": one (start, length) IL range per hoisted local's slot.
    private static readonly Guid HoistedLocalScopesKind = new("6DA9A61E-F8C7-4874-BE62-68BC5630DF71");

    /// <summary>
    /// Whether the hoisted local of slot <paramref name="slot"/> of state machine method
    /// <paramref name="methodToken"/> (its MoveNext) is in scope at IL offset <paramref name="ilOffset"/>:
    /// the PDB gives each slot an IL range, empty for a local the compiler made. True where the PDB
    /// says nothing of the method or slot.
    /// </summary>
    public bool HoistedLocalInScope(string assemblyPath, int methodToken, int slot, int ilOffset)
    {
        var handle = MetadataTokens.EntityHandle(methodToken);
        if (Reader(assemblyPath) is not { } pdb || handle.Kind != HandleKind.MethodDefinition)
        {
            return true;
        }
        foreach (var infoHandle in pdb.GetCustomDebugInformation(handle))
        {
            var info = pdb.GetCustomDebugInformation(infoHandle);
            if (pdb.GetGuid(info.Kind) != HoistedLocalScopesKind)
            {
                continue;
            }
            var blob = pdb.GetBlobReader(info.Value);
            if (slot < 0 || slot >= blob.Length / 8)
            {
                return true;
            }
            blob.Offset = slot * 8;
            int start = blob.ReadInt32(), length = blob.ReadInt32();
            return length > 0 && ilOffset >= start && ilOffset < start + length;
        }
        return true;
    }

    /// <summary>
    /// Where the continuations of an async method's awaits enter its MoveNext
    /// <paramref name="methodToken"/>: each await's resume offset, up to the next sequence point,
    /// with the await's line. The state machine's dispatch jumps there, in the middle of the await's
    /// line (the compiler covers the yield and the resume with a hidden sequence point, so no line
    /// starts there). Empty for a method that is no async MoveNext, or without its PDB.
    /// </summary>
    public IReadOnlyList<IlLocation> ResumesIn(string assemblyPath, int methodToken)
    {
        var handle = MetadataTokens.EntityHandle(methodToken);
        if (Reader(assemblyPath) is not { } pdb || handle.Kind != HandleKind.MethodDefinition)
        {
            return [];
        }
        var resumes = new List<IlLocation>();
        foreach (var infoHandle in pdb.GetCustomDebugInformation(handle))
        {
            var info = pdb.GetCustomDebugInformation(infoHandle);
            if (pdb.GetGuid(info.Kind) != AsyncSteppingInformation.Kind)
            {
                continue;
            }
            var points = pdb.GetMethodDebugInformation(((MethodDefinitionHandle)handle).ToDebugInformationHandle()).GetSequencePoints().ToList();
            foreach (int resume in AsyncSteppingInformation.ResumeOffsets(pdb.GetBlobReader(info.Value), MetadataTokens.GetRowNumber(handle)))
            {
                int line = points.FindLastIndex(p => p.Offset <= resume && !p.IsHidden);
                int next = points.FindIndex(p => p.Offset > resume);
                if (line >= 0)
                {
                    resumes.Add(Location(pdb, assemblyPath, methodToken, points, line) with
                    {
                        ILOffset = resume,
                        EndILOffset = next >= 0 ? points[next].Offset : int.MaxValue,
                    });
                }
            }
        }
        return resumes;
    }

    private static IlLocation Location(MetadataReader pdb, string assemblyPath, int methodToken, List<SequencePoint> points, int index)
    {
        var p = points[index];
        int end = index + 1 < points.Count ? points[index + 1].Offset : int.MaxValue;
        var line = new SourceLine(pdb.GetString(pdb.GetDocument(p.Document).Name), p.StartLine, p.StartColumn, true, RemotePtr.Null);
        return new IlLocation(assemblyPath, methodToken, p.Offset, end, line);
    }

    private MetadataReader? Reader(string assemblyPath)
    {
        if (!_byAssembly.TryGetValue(assemblyPath, out var provider))
        {
            var content = trace.DebugFileContent(PdbPath(assemblyPath));
            provider = content != null ? MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(content))
                : _embedded.Of(assemblyPath);
            _byAssembly[assemblyPath] = provider;
        }
        try
        {
            return provider?.GetMetadataReader();
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where the recorder kept an assembly's PDB: beside it; the runtime names an assembly bundled
    /// in a single-file app by its path in the bundle, and its PDB was kept beside the app.
    /// </summary>
    private string PdbPath(string assemblyPath)
    {
        string pdb = Path.ChangeExtension(assemblyPath, ".pdb");
        return Path.IsPathRooted(pdb) ? pdb
            : trace.DebugFiles.FirstOrDefault(f => f.Path.EndsWith($"/{pdb}", StringComparison.Ordinal))?.Path ?? pdb;
    }

    public void Dispose()
    {
        foreach (var provider in _byAssembly.Values)
        {
            provider?.Dispose();
        }
    }
}
