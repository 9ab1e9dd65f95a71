using Rewind.Recording;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// What a .NET debugging session needs beside the files a program maps (docs/dotnet.md, "What
/// the trace keeps"): for a runtime's libcoreclr.so, the data-access library beside it; for an
/// assembly, its portable PDB beside it; for a single-file app, the PDBs of its bundled
/// assemblies beside it and, where the runtime is inside the app, the data-access library of
/// that exact build, wherever this machine has it.
/// </summary>
public sealed class DotnetDebugFiles : IDebugFileFinder
{
    private const string Runtime = "libcoreclr.so";

    // A portable PDB is ECMA-335 metadata: it starts with the metadata signature "BSJB"
    // (Portable PDB v1.0 format specification). Windows PDBs (MSF) are of no use here.
    private static readonly byte[] MetadataSignature = "BSJB"u8.ToArray();
    private static readonly byte[] ElfMagic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    public IEnumerable<string> FilesFor(string mapped, Action<string> note)
    {
        string directory = Path.GetDirectoryName(mapped) is { Length: > 0 } d ? d : "/";
        string name = Path.GetFileName(mapped);
        if (name == Runtime)
        {
            string library = Path.Combine(directory, DataAccessLibrary.FileName);
            return File.Exists(library) ? [library] : [];
        }
        if (name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return PortablePdbs(Path.ChangeExtension(mapped, ".pdb"));
        }
        // A shared library is never a single-file app; an executable may be.
        return name.Contains(".so", StringComparison.Ordinal) || !StartsWith(mapped, ElfMagic) ? [] : SingleFileApp(mapped, directory, note);
    }

    private static IEnumerable<string> SingleFileApp(string app, string directory, Action<string> note)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(app);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        if (SingleFileBundle.Read(content) is not { } bundle)
        {
            return [];
        }
        // Publishing leaves the PDBs out of the bundle, beside the app.
        var files = bundle.Assemblies.SelectMany(a => PortablePdbs(Path.Combine(directory, Path.ChangeExtension(a, ".pdb")))).ToList();
        if (DataAccessLibraries.BuildIdNamedBy(content, app) is not { } buildId)
        {
            return files;
        }
        if (DataAccessLibraries.Find(buildId, directory) is { } library)
        {
            files.Add(library);
        }
        else
        {
            note($"the .NET runtime inside {app} needs its {DataAccessLibrary.FileName} (build id {buildId}) to read managed frames, and none of that build is beside the app, in the NuGet cache's runtime pack or in an installed runtime: put the one of the app's runtime version (package {DataAccessLibraries.RuntimePack}) beside the app and record again to debug its .NET code");
        }
        return files;
    }

    private static IEnumerable<string> PortablePdbs(string path) => StartsWith(path, MetadataSignature) ? [path] : [];

    private static bool StartsWith(string path, byte[] magic)
    {
        Span<byte> head = stackalloc byte[magic.Length];
        try
        {
            using var file = File.OpenHandle(path);
            return RandomAccess.Read(file, head, 0) == head.Length && head.SequenceEqual(magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
