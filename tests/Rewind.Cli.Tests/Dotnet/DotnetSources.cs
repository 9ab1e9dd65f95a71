using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>The sources of a .NET test program, tests/programs/dotnet/NAME.</summary>
public static class DotnetSources
{
    public static string DirectoryOf(string name) => Path.Combine(RepoPaths.Programs, "dotnet", name);

    /// <summary>Copies them into <paramref name="build"/> (made if need be), where the SDK builds them: the source tree stays clean.</summary>
    public static void CopyTo(string name, string build)
    {
        Directory.CreateDirectory(build);
        foreach (string file in Directory.GetFiles(DirectoryOf(name)))
        {
            File.Copy(file, Path.Combine(build, Path.GetFileName(file)));
        }
    }
}
