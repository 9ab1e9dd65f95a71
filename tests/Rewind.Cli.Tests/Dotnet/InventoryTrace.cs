using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>
/// tests/programs/dotnet/Inventory published as a self-contained single-file app (the runtime
/// inside the executable, the runtime pack from the local NuGet cache) and recorded once for a
/// test class; then the publish folder is deleted, so that its PDB and the runtime's data-access
/// library, which the bundle does not hold, come from the trace alone.
/// </summary>
public sealed class InventoryTrace : IAsyncLifetime
{
    public const string Message = "150 counts for warehouse, over the limit 100";

    private readonly TempDirectory _dir = new("dotnet-single-file");

    private static string SourceDirectory => Path.Combine(RepoPaths.Programs, "dotnet", "Inventory");

    public string Trace => _dir.File("inventory.rwd");

    /// <summary>The recorded path of Program.cs, as the PDB names it.</summary>
    public string RecordedSource => Path.Combine(_dir.Path, "build", "Program.cs");

    /// <summary>The single-file app as it was recorded.</summary>
    public string App => Path.Combine(_dir.Path, "build", "app", "Inventory");

    public static int Line(string name) => MarkedLines.Line(Path.Combine(SourceDirectory, "Program.cs"), name);

    public async Task InitializeAsync()
    {
        string build = Path.Combine(_dir.Path, "build");
        Directory.CreateDirectory(build);
        foreach (string file in Directory.GetFiles(SourceDirectory))
        {
            File.Copy(file, Path.Combine(build, Path.GetFileName(file)));
        }
        string dotnet = ToolRoundTrip.Installed("dotnet");
        await ToolRoundTrip.MustSucceed(ProcessRunner.RunAsync(dotnet,
            ["publish", "Inventory.csproj", "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true", "-o", "app", "-nologo", "-v", "quiet"],
            build, timeout: TimeSpan.FromMinutes(3)));
        Assert.False(File.Exists(Path.Combine(build, "app", "libmscordaccore.so")), "the publish folder should not hold the data-access library: the recorder must find it elsewhere");
        var recorded = await RewindCli.RecordAsync(Trace, build, App, []);
        // SIGABRT: the runtime aborts on the unhandled exception.
        if (recorded.ExitCode != 134 || !recorded.Stderr.Contains(Message, StringComparison.Ordinal))
        {
            Assert.Fail($"the recorded run should end in the unhandled exception\n{recorded}");
        }
        Directory.Delete(build, recursive: true);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
