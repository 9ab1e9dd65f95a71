using Microsoft.Diagnostics.Runtime;
using Rewind.Trace;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The runtime's data-access library (libmscordaccore.so) that the recorder kept beside the
/// runtime the program loaded, written to a temporary file for ClrMD to load (dlopen needs a
/// path), and deleted again when disposed.
/// </summary>
internal sealed class DataAccessLibrary : IDisposable
{
    public const string FileName = "libmscordaccore.so";

    private DataAccessLibrary(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// The library that goes with runtime <paramref name="clr"/>: the one kept from beside its
    /// module (libcoreclr.so, or a single-file app that links the runtime in), else one kept of the
    /// build the runtime names (a single-file app's, found elsewhere); null when the trace holds none.
    /// </summary>
    public static DataAccessLibrary? Extract(TraceFile trace, ClrInfo clr)
    {
        string beside = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "/", FileName);
        if ((trace.DebugFileContent(beside) ?? OfBuild(trace, clr)) is not { } content)
        {
            return null;
        }
        string directory = Directory.CreateTempSubdirectory("rewind-dac-").FullName;
        string path = System.IO.Path.Combine(directory, FileName);
        File.WriteAllBytes(path, content);
        return new DataAccessLibrary(path);
    }

    /// <summary>A kept library whose GNU build id is the one the runtime's DotNetRuntimeInfo names (ClrMD reads it as the library's index).</summary>
    private static byte[]? OfBuild(TraceFile trace, ClrInfo clr)
    {
        var buildIds = clr.DebuggingLibraries.Where(l => l.Kind == DebugLibraryKind.Dac && !l.IndexBuildId.IsDefaultOrEmpty)
            .Select(l => Convert.ToHexStringLower(l.IndexBuildId.AsSpan())).ToHashSet();
        return buildIds.Count == 0 ? null
            : trace.DebugFiles.Where(f => System.IO.Path.GetFileName(f.Path) == FileName)
                .Select(f => trace.DebugFileContent(f.Path)!)
                .FirstOrDefault(content => BuildIdOf(content, FileName) is { } id && buildIds.Contains(id));
    }

    /// <summary>The GNU build id of a library (<paramref name="name"/>, for messages); null for a file with none, or no ELF file.</summary>
    public static string? BuildIdOf(byte[] library, string name)
    {
        try
        {
            return ElfFile.Parse(library, name).BuildId;
        }
        catch (DebugInfoException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        }
        catch (IOException)
        {
            // Still mapped by a library that never unloads: the temporary directory stays.
        }
    }
}
