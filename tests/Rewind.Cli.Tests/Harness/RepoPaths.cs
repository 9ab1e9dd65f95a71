using System.Reflection;

namespace Rewind.Cli.Tests.Harness;

/// <summary>Where the repository, the test programs and the built <c>rewind</c> executable are.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory holding Rewind.sln, found by walking up from the test assembly.</summary>
    public static string Root => LazyRoot.Value;

    public static string Programs => Path.Combine(Root, "tests", "programs");

    /// <summary>
    /// The apphost that src/Rewind.Cli builds, in the configuration of this test assembly
    /// (the test project references Rewind.Cli, so building the tests builds it).
    /// REWIND_EXE overrides it, e.g. to test an installed copy.
    /// </summary>
    public static string Rewind
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable("REWIND_EXE");
            if (!string.IsNullOrEmpty(overridden))
                return overridden;
            string configuration = typeof(RepoPaths).Assembly
                .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            string path = Path.Combine(Root, "src", "Rewind.Cli", "bin", configuration, "net10.0", "rewind");
            if (!File.Exists(path))
                Assert.Fail($"rewind is not built: {path} does not exist (dotnet build src/Rewind.Cli -c {configuration})");
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rewind.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Rewind.sln above {AppContext.BaseDirectory}");
    }
}
