using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>
/// tests/programs/dotnet/WorkerException built with the .NET SDK and recorded once for a test
/// class; then the app's directory (its dll and PDB) is deleted, so that what the tests see of
/// it comes from the trace alone. A second recording runs it on a copy of the runtime that
/// lacks the data-access library (libmscordaccore.so), as a runtime installed without it would.
/// </summary>
public sealed class WorkerExceptionTrace : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dotnet-stacks");

    public static string SourceDirectory => DotnetSources.DirectoryOf("WorkerException");

    public string Trace => _dir.File("worker.rwd");

    public string TraceWithoutDac => _dir.File("no-dac.rwd");

    /// <summary>The recorded path of Program.cs, as the PDB names it.</summary>
    public string RecordedSource => Path.Combine(_dir.Path, "build", "Program.cs");

    /// <summary>The line of Program.cs marked "// line: NAME".</summary>
    public static int Line(string name) => MarkedLines.Line(Path.Combine(SourceDirectory, "Program.cs"), name);

    public async Task InitializeAsync()
    {
        string build = Path.Combine(_dir.Path, "build");
        DotnetSources.CopyTo("WorkerException", build);
        string dotnet = ToolRoundTrip.Installed("dotnet");
        await ToolRoundTrip.MustSucceed(ProcessRunner.RunAsync(dotnet, ["build", "WorkerException.csproj", "-c", "Release", "-o", "app", "-nologo", "-v", "quiet"], build, timeout: TimeSpan.FromMinutes(3)));
        await Record(Trace, dotnet, build);
        await Record(TraceWithoutDac, RuntimeWithoutDac(dotnet), build);
        Directory.Delete(build, recursive: true);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private static async Task Record(string trace, string dotnet, string build)
    {
        var recorded = await RewindCli.RecordAsync(trace, build, dotnet, ["app/WorkerException.dll"]);
        // SIGABRT: the runtime aborts on the unhandled exception.
        if (recorded.ExitCode != 134 || !recorded.Stderr.Contains("order total 21 is over the limit", StringComparison.Ordinal))
        {
            Assert.Fail($"the recorded run should end in the unhandled exception\n{recorded}");
        }
    }

    /// <summary>
    /// The dotnet host beside a runtime directory of links to the installed one's files, but for
    /// a copy of libcoreclr.so (the recorder looks beside the file the program maps) and no
    /// libmscordaccore.so.
    /// </summary>
    private string RuntimeWithoutDac(string dotnet)
    {
        string installed = Path.GetDirectoryName(Path.GetFullPath(new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet))!;
        string root = _dir.File("runtime-without-dac");
        Directory.CreateDirectory(root);
        File.Copy(Path.Combine(installed, "dotnet"), Path.Combine(root, "dotnet"));
        File.CreateSymbolicLink(Path.Combine(root, "host"), Path.Combine(installed, "host"));
        foreach (string version in Directory.GetDirectories(Path.Combine(installed, "shared", "Microsoft.NETCore.App")))
        {
            string copy = Path.Combine(root, "shared", "Microsoft.NETCore.App", Path.GetFileName(version));
            Directory.CreateDirectory(copy);
            foreach (string file in Directory.GetFiles(version))
            {
                string name = Path.GetFileName(file), target = Path.Combine(copy, name);
                if (name == "libcoreclr.so")
                    File.Copy(file, target);
                else if (name != "libmscordaccore.so")
                    File.CreateSymbolicLink(target, file);
            }
        }
        return Path.Combine(root, "dotnet");
    }
}
