using Rewind.Cli.Tests.Harness;
using Rewind.Symbols;

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>
/// tests/programs/dotnet/Inventory published as a self-contained single-file app (the runtime
/// inside the executable, the runtime pack from the local NuGet cache) and recorded once for a
/// test class; then the publish folder is deleted, so that its PDB and the runtime's data-access
/// library, which the bundle does not hold, come from the trace alone. Two more recordings: the
/// app published framework-dependent (the runtime from the shared one) with its PDB embedded in
/// the assembly, and a copy of the
/// self-contained app whose DotNetRuntimeInfo names a data-access library no machine has.
/// </summary>
public sealed class InventoryTrace : IAsyncLifetime
{
    public const string Message = "150 counts for warehouse, over the limit 100";

    private readonly TempDirectory _dir = new("dotnet-single-file");

    private static string SourceDirectory => DotnetSources.DirectoryOf("Inventory");

    public string Trace => _dir.File("inventory.rwd");

    public string FrameworkDependentTrace => _dir.File("framework-dependent.rwd");

    public string TraceWithUnknownDac => _dir.File("unknown-dac.rwd");

    /// <summary>What `rewind record` printed on stderr while recording <see cref="TraceWithUnknownDac"/>.</summary>
    public string UnknownDacRecordingStderr { get; private set; } = "";

    /// <summary>The recorded path of Program.cs, as the PDB names it.</summary>
    public string RecordedSource => Path.Combine(_dir.Path, "build", "Program.cs");

    /// <summary>The single-file app as it was recorded.</summary>
    public string App => Path.Combine(_dir.Path, "build", "app", "Inventory");

    public static int Line(string name) => MarkedLines.Line(Path.Combine(SourceDirectory, "Program.cs"), name);

    public async Task InitializeAsync()
    {
        string build = Path.Combine(_dir.Path, "build");
        DotnetSources.CopyTo("Inventory", build);
        string dotnet = ToolRoundTrip.Installed("dotnet");
        await Publish(dotnet, build, "app", "--self-contained");
        Assert.False(File.Exists(Path.Combine(build, "app", "libmscordaccore.so")), "the publish folder should not hold the data-access library: the recorder must find it elsewhere");
        await Record(Trace, build, App);
        // Built apart (its own obj/): the compiler's incremental check would keep the assembly built with the PDB beside it.
        await Publish(dotnet, build, "framework-dependent", "--self-contained", "false", "-p:DebugType=embedded", "-p:IntermediateOutputPath=obj/embedded/");
        await Record(FrameworkDependentTrace, build, Path.Combine(build, "framework-dependent", "Inventory"));
        string unknown = Path.Combine(build, "unknown-dac", "Inventory");
        Directory.CreateDirectory(Path.GetDirectoryName(unknown)!);
        File.WriteAllBytes(unknown, WithUnknownDac(File.ReadAllBytes(App)));
        File.SetUnixFileMode(unknown, File.GetUnixFileMode(App));
        UnknownDacRecordingStderr = (await Record(TraceWithUnknownDac, build, unknown)).Stderr;
        Directory.Delete(build, recursive: true);
    }

    private static Task Publish(string dotnet, string build, string output, params string[] options) =>
        ToolRoundTrip.MustSucceed(ProcessRunner.RunAsync(dotnet,
            ["publish", "Inventory.csproj", "-c", "Release", "-r", "linux-x64", .. options, "-p:PublishSingleFile=true", "-o", output, "-nologo", "-v", "quiet"],
            build, timeout: TimeSpan.FromMinutes(3)));

    private static async Task<ProcessResult> Record(string trace, string build, string app)
    {
        var recorded = await RewindCli.RecordAsync(trace, build, app, []);
        // SIGABRT: the runtime aborts on the unhandled exception.
        if (recorded.ExitCode != 134 || !recorded.Stderr.Contains(Message, StringComparison.Ordinal))
        {
            Assert.Fail($"the recorded run of {app} should end in the unhandled exception\n{recorded}");
        }
        return recorded;
    }

    /// <summary>
    /// The app with the last byte of the data-access library's build id changed in its exported
    /// DotNetRuntimeInfo (runtimeinfo.h: an 18-byte signature, an int version, then three 24-byte
    /// module indexes, each a length byte and a build id: the runtime's, the library's, the debugger's).
    /// The runtime never reads it; debuggers do.
    /// </summary>
    private static byte[] WithUnknownDac(byte[] app)
    {
        var elf = ElfFile.Parse(app, "Inventory");
        var info = elf.Symbols.First(s => s.Name == "DotNetRuntimeInfo" && s.Size > 0);
        var segment = elf.Segments.First(s => s.Type == ElfSegment.PT_LOAD && info.Value >= s.VirtualAddress && info.Value < s.VirtualAddress + s.FileSize);
        int dacIndex = (int)(info.Value - segment.VirtualAddress + segment.FileOffset) + 20 + 4 + 24;
        Assert.Equal(20, app[dacIndex]);
        app[dacIndex + 20] ^= 0xff;
        return app;
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
