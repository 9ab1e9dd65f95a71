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

    /// <summary>The library that goes with the runtime at <paramref name="runtimePath"/> (its libcoreclr.so); null when the trace holds none.</summary>
    public static DataAccessLibrary? Extract(TraceFile trace, string runtimePath)
    {
        string recorded = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(runtimePath) ?? "/", FileName);
        if (trace.DebugFileContent(recorded) is not { } content)
        {
            return null;
        }
        string directory = Directory.CreateTempSubdirectory("rewind-dac-").FullName;
        string path = System.IO.Path.Combine(directory, FileName);
        File.WriteAllBytes(path, content);
        return new DataAccessLibrary(path);
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
