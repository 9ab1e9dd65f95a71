using System.Text.RegularExpressions;
using Rewind.Cli.Tests.Gdb;
using Rewind.Cli.Tests.Harness;
using Rewind.Symbols.Dotnet;
using Rewind.Trace;

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>
/// A self-contained single-file .NET app (the runtime linked into the executable, the assemblies
/// bundled in it): its managed frames with C# lines, a type's statics and an array's elements,
/// from the trace alone.
/// </summary>
[Collection(nameof(ThreadTests))]
public sealed class SingleFileTests(InventoryTrace fixture) : IClassFixture<InventoryTrace>
{
    [Fact]
    public async Task Stacks_at_the_end_name_the_app_s_frames_with_their_lines()
    {
        var r = await Stacks(fixture.Trace);
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, r.ToString());
        Assert.Contains($"exception: System.InvalidOperationException: {InventoryTrace.Message}", r.Stdout);
        var check = Regex.Match(r.Stdout, $@"(?m)^  #(\d+) +0x[0-9a-f]+ in Inventory\.Stock\.Check\(Int32\[\]\) at {Regex.Escape(fixture.RecordedSource)}:{InventoryTrace.Line("throw")}$");
        var main = Regex.Match(r.Stdout, $@"(?m)^  #(\d+) +0x[0-9a-f]+ in Inventory\.Program\.Main\(\) at {Regex.Escape(fixture.RecordedSource)}:{InventoryTrace.Line("check")}$");
        // The runtime's abort, inner to them, is named from libc's symbols: the app's flat view of itself is no part of its image.
        var abort = Regex.Match(r.Stdout, @"(?m)^  #(\d+) +0x[0-9a-f]+ in abort from \S*libc\.so\.6$");
        Assert.True(check.Success && main.Success && abort.Success, r.Stdout);
        Assert.Equal(int.Parse(check.Groups[1].Value) + 1, int.Parse(main.Groups[1].Value));
        Assert.True(int.Parse(abort.Groups[1].Value) < int.Parse(check.Groups[1].Value), r.Stdout);
    }

    [Fact]
    public async Task A_framework_dependent_single_file_app_has_its_frames_with_their_lines_from_its_embedded_pdb()
    {
        var r = await Stacks(fixture.FrameworkDependentTrace);
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, r.ToString());
        Assert.Matches($@"(?m)^  #\d+ +0x[0-9a-f]+ in Inventory\.Stock\.Check\(Int32\[\]\) at {Regex.Escape(fixture.RecordedSource)}:{InventoryTrace.Line("throw")}$", r.Stdout);
        // The runtime is the shared one; the PDB is inside the bundled assembly, so none was kept beside it.
        var info = await RewindCli.InfoAsync(fixture.FrameworkDependentTrace, Path.GetTempPath());
        Assert.Matches(@"(?m)^debug files: 1 kept for debuggers", info.Stdout);
        Assert.Matches(@"(?m)^  /\S+/Microsoft\.NETCore\.App/[^/]+/libmscordaccore\.so \(", info.Stdout);
    }

    [Fact]
    public void A_line_of_an_assembly_whose_pdb_is_embedded_has_its_code_for_breakpoints()
    {
        using var trace = TraceFile.Open(fixture.FrameworkDependentTrace);
        using var pdbs = new PortablePdbs(trace);
        // The assembly is bundled in the app, whose PDB is inside it: the runtime names it by its path in the bundle.
        var at = Assert.Single(pdbs.LocationsOf(fixture.RecordedSource, InventoryTrace.Line("throw")));
        Assert.Equal("Inventory.dll", at.AssemblyPath);
        Assert.Equal(InventoryTrace.Line("throw"), at.Line.Line);
    }

    [Fact]
    public async Task Without_a_data_access_library_of_its_runtime_s_build_stacks_say_so_in_one_line_and_show_native_frames()
    {
        var r = await Stacks(fixture.TraceWithUnknownDac);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"^rewind: the trace holds no libmscordaccore\.so for the \.NET runtime inside the single-file app /\S+/unknown-dac/Inventory: none of its build was beside the app, in the NuGet cache's runtime pack or in an installed runtime when recording, so managed frames cannot be read \(native debugging still works\)\n$", r.Stderr);
        Assert.Matches(@"(?m)^  #0 +0x[0-9a-f]+ in ", r.Stdout);
        Assert.DoesNotContain("Inventory.Stock", r.Stdout);
        var info = await RewindCli.InfoAsync(fixture.TraceWithUnknownDac, Path.GetTempPath());
        Assert.DoesNotContain("libmscordaccore.so", info.Stdout);
        // Said when recording too, while the user can still fetch the library.
        Assert.Matches(@"(?m)^rewind: the \.NET runtime inside /\S+/unknown-dac/Inventory needs its libmscordaccore\.so \(build id [0-9a-f]{40}\) to read managed frames, and none of that build is .*: put the one of the app's runtime version \(package microsoft\.netcore\.app\.runtime\.linux-x64\) beside the app and record again to debug its \.NET code$", fixture.UnknownDacRecordingStderr);
    }

    [Fact]
    public async Task Info_lists_the_data_access_library_found_for_the_runtime_inside_and_the_app_s_pdb()
    {
        var r = await RewindCli.InfoAsync(fixture.Trace, Path.GetTempPath());
        Assert.Matches(@"(?m)^debug files: 2 kept for debuggers", r.Stdout);
        Assert.Matches(@"(?m)^  /\S+/libmscordaccore\.so \(", r.Stdout);
        Assert.Contains($"  {fixture.App}.pdb (", r.Stdout);
    }

    [GdbFact]
    public void Gdb_monitor_statics_shows_a_type_s_static_fields_and_dumpobj_an_array_s_elements()
    {
        var t = GdbTranscript.Run(fixture.Trace, null, ["monitor goto-percent 100", "monitor statics Inventory.Stock", "monitor statics Inventory.Nowhere", "monitor clrstack -a"]);
        string statics = t[1];
        Assert.Contains("Class Name:  Inventory.Stock", statics);
        Assert.Matches(@"(?m)^ +[0-9a-f]+ System\.Int32 +Limit +100$", statics);
        Assert.Matches(@"(?m)^ +[0-9a-f]+ System\.String +Owner +0x[0-9a-f]+ ""warehouse""$", statics);
        Assert.Matches(@"^no loaded module defines the type Inventory\.Nowhere at event [\d,]+ \(.*\)\n$", t[2]);
        string counts = Regex.Match(statics, @"(?m)^ +[0-9a-f]+ System\.Int32\[\] +Counts +0x([0-9a-f]+)$").Groups[1].Value;
        string names = Regex.Match(statics, @"(?m)^ +[0-9a-f]+ System\.String\[\] +Names +0x([0-9a-f]+)$").Groups[1].Value;
        Assert.True(counts.Length > 0 && names.Length > 0, statics);
        // The argument of Check is the same array as the static field.
        Assert.Matches($@"Check\(Int32\[\]\) \[.*\]\n    PARAMETERS:\n        counts = 0x{counts}\n", t[3]);

        var objects = GdbTranscript.Run(fixture.Trace, null, ["monitor goto-percent 100", $"monitor dumpobj {counts}", $"monitor dumpobj {names}"]);
        string array = objects[1];
        Assert.Contains("Array:       length 150", array);
        Assert.Matches(@"(?m)^ +\[0\] 0$", array);
        Assert.Matches(@"(?m)^ +\[99\] 297$", array);
        Assert.DoesNotContain("[100]", array);
        Assert.Matches(@"(?m)^  … 50 more$", array);
        Assert.Matches(@"(?m)^ +\[0\] 0x[0-9a-f]+ ""bolt""\n +\[1\] 0x[0-9a-f]+ ""nut""\n +\[2\] null\n", objects[2]);
    }

    private static Task<ProcessResult> Stacks(string trace) =>
        ProcessRunner.RunAsync(RepoPaths.Rewind, ["stacks", "--end", trace], Path.GetTempPath(), timeout: TimeSpan.FromMinutes(2));
}
