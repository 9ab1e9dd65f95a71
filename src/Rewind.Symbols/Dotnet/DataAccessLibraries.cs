namespace Rewind.Symbols.Dotnet;

/// <summary>
/// Finds on this machine the data-access library (libmscordaccore.so) made with the runtime a
/// single-file app links in. A self-contained single-file app does not bundle it: it is in the
/// publish folder where the project asked for it, in the runtime pack the SDK published from
/// (the NuGet cache's microsoft.netcore.app.runtime.linux-x64), or in an installed shared runtime
/// of the same build. Only a library whose build id is the one the runtime names will do.
/// </summary>
internal static class DataAccessLibraries
{
    /// <summary>The NuGet package that holds a runtime's files for linux-x64, its data-access library among them.</summary>
    public const string RuntimePack = "microsoft.netcore.app.runtime.linux-x64";

    /// <summary>The build id of the library made with the runtime inside <paramref name="app"/> (the bytes of the executable at <paramref name="path"/>); null where it holds no runtime.</summary>
    public static string? BuildIdNamedBy(byte[] app, string path)
    {
        try
        {
            return RuntimeInfo.DacBuildIdOf(ElfFile.Parse(app, path));
        }
        catch (DebugInfoException)
        {
            // A damaged executable: nothing to find.
            return null;
        }
    }

    /// <summary>The library of build <paramref name="buildId"/>, looked for beside the app (<paramref name="directory"/>) first; null where none is.</summary>
    public static string? Find(string buildId, string directory) =>
        Candidates(directory).FirstOrDefault(candidate => BuildIdOf(candidate) == buildId);

    private static IEnumerable<string> Candidates(string directory)
    {
        yield return Path.Combine(directory, DataAccessLibrary.FileName);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(home, ".nuget", "packages");
        foreach (string version in Subdirectories(Path.Combine(packages, RuntimePack)))
        {
            yield return Path.Combine(version, "runtimes", "linux-x64", "native", DataAccessLibrary.FileName);
        }
        string?[] roots = [Environment.GetEnvironmentVariable("DOTNET_ROOT"), Path.Combine(home, ".dotnet"), "/usr/share/dotnet", "/usr/lib/dotnet"];
        foreach (string root in roots.OfType<string>().Where(r => r.Length > 0))
        {
            foreach (string version in Subdirectories(Path.Combine(root, "shared", "Microsoft.NETCore.App")))
            {
                yield return Path.Combine(version, DataAccessLibrary.FileName);
            }
        }
    }

    private static string[] Subdirectories(string path) => Directory.Exists(path) ? Directory.GetDirectories(path) : [];

    private static string? BuildIdOf(string path)
    {
        try
        {
            return File.Exists(path) ? DataAccessLibrary.BuildIdOf(File.ReadAllBytes(path), path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
