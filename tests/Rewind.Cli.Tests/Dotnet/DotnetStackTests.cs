using System.Text.RegularExpressions;
using Rewind.Cli.Tests.Gdb;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests.Dotnet;

/// <summary>
/// A .NET program's managed frames, threads and exception at a moment of its recording, as
/// `rewind stacks` and gdb's monitor commands show them, from the trace alone: the app's
/// directory is gone when they run, so its PDB and the runtime's data-access library come from
/// the trace.
/// </summary>
[Collection(nameof(ThreadTests))]
public sealed class DotnetStackTests(WorkerExceptionTrace fixture) : IClassFixture<WorkerExceptionTrace>
{
    private const string Message = "order total 21 is over the limit";

    [Fact]
    public async Task Stacks_at_the_end_name_the_managed_frames_with_their_lines_among_the_native_ones()
    {
        var r = await Stacks("--end", fixture.Trace);
        Assert.True(r.ExitCode == 0, r.ToString());
        string worker = Section(r.Stdout, "order worker thread #1");
        Assert.Contains("(managed thread 4, the present thread)", worker);
        Assert.Contains($"exception: System.InvalidOperationException: {Message}", worker);
        Assert.Contains("inner: System.ArgumentOutOfRangeException", worker);
        // Innermost first: the runtime's abort (native), then the three managed calls, then the thread's start.
        int abort = Frame(worker, @" in abort from \S*libc\.so\.6");
        int validate = Frame(worker, $@" in WorkerException\.Orders\.Validate\(Int32, System\.String\) at {Regex.Escape(fixture.RecordedSource)}:{WorkerExceptionTrace.Line("throw")}$");
        int process = Frame(worker, $@" in WorkerException\.Orders\.Process\(Int32\) at \S*Program\.cs:{WorkerExceptionTrace.Line("process")}$");
        int lambda = Frame(worker, $@" in WorkerException\.Program\+<>c\.<Main>b__0_0\(\) at \S*Program\.cs:{WorkerExceptionTrace.Line("start")}$");
        Assert.True(abort < validate && validate + 1 == process && process + 1 == lambda, worker);
        string main = Section(r.Stdout, "dotnet");
        Frame(main, $@" in WorkerException\.Program\.Main\(\) at \S*Program\.cs:{WorkerExceptionTrace.Line("join")}$");
        Frame(main, @" in System\.Threading\.Thread\.Join\(\) \(managed, no PDB in the trace\)$");
    }

    [Fact]
    public async Task Info_lists_the_data_access_library_and_the_pdb_kept_for_debuggers()
    {
        var r = await RewindCli.InfoAsync(fixture.Trace, Path.GetTempPath());
        Assert.Matches(@"(?m)^debug files: 2 kept for debuggers", r.Stdout);
        Assert.Matches(@"(?m)^  /\S+/Microsoft\.NETCore\.App/[^/]+/libmscordaccore\.so \(", r.Stdout);
        Assert.Contains($"  {Path.Combine(Path.GetDirectoryName(fixture.RecordedSource)!, "app", "WorkerException.pdb")} (", r.Stdout);
        // Kept beside the program's files, not among those it mapped.
        string mapped = Regex.Match(r.Stdout, @"(?ms)^files: .*?(?=^\S)").Value;
        Assert.Contains("libcoreclr.so (", mapped);
        Assert.DoesNotContain("libmscordaccore.so", mapped);
    }

    [Fact]
    public async Task Without_the_data_access_library_stacks_say_so_in_one_line_and_show_native_frames()
    {
        var r = await Stacks("--end", fixture.TraceWithoutDac);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"^rewind: the trace holds no libmscordaccore\.so for the \.NET runtime /\S+/runtime-without-dac/shared/Microsoft\.NETCore\.App/[^/:]+: it was not beside libcoreclr\.so when recording, so managed frames cannot be read \(native debugging still works\)\n$", r.Stderr);
        Assert.Matches(@"(?m)^  #\d+ +0x[0-9a-f]+ in abort from \S*libc\.so\.6$", r.Stdout);
        Assert.DoesNotContain("WorkerException.", r.Stdout);
    }

    [Fact]
    public async Task A_native_program_has_native_stacks()
    {
        using var dir = new TempDirectory("native-stacks");
        var gcc = await ProcessRunner.RunAsync("gcc", ["-g", "-O0", "-o", dir.File("hello"), Path.Combine(RepoPaths.Programs, "hello.c")], dir.Path);
        Assert.True(gcc.ExitCode == 0, gcc.ToString());
        var recorded = await RewindCli.RecordAsync(dir.File("hello.rwd"), dir.Path, dir.File("hello"), []);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        // Event 45 is one of main's writes (the program makes some 50 syscalls, the last ones its prints).
        var r = await Stacks("--event", "45", dir.File("hello.rwd"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"(?m)^  #\d+ +0x[0-9a-f]+ in main at \S*hello\.c:\d+$", r.Stdout);
        Assert.Empty(r.Stderr);
    }

    [GdbFact]
    public void Gdb_monitor_clrexception_and_clrstack_show_the_exception_and_the_worker_s_frames()
    {
        var t = GdbTranscript.Run(fixture.Trace, null, ["continue", "monitor clrexception", "monitor clrstack"]);
        Assert.Contains("SIGABRT", t[0]);
        string exception = t[1];
        Assert.Contains("Exception type:   System.InvalidOperationException", exception);
        Assert.Contains($"Message:          {Message}", exception);
        Assert.Contains("InnerException:   System.ArgumentOutOfRangeException", exception);
        Assert.Contains($"WorkerException.Orders.Validate(Int32, System.String) [{fixture.RecordedSource} @ {WorkerExceptionTrace.Line("throw")}]", exception);
        Assert.Contains("Exception type:   System.ArgumentOutOfRangeException", exception);
        string stacks = t[2];
        Assert.Matches(@"OS Thread Id: 0x[0-9a-f]+ \(\d+\) ""order worker thread #1"", managed thread 4", stacks);
        Assert.Contains($"WorkerException.Orders.Process(Int32) [{fixture.RecordedSource} @ {WorkerExceptionTrace.Line("process")}]", stacks);
        Assert.Contains($"WorkerException.Program.Main() [{fixture.RecordedSource} @ {WorkerExceptionTrace.Line("join")}]", stacks);

        string address = Regex.Match(exception, "Exception object: ([0-9a-f]+)").Groups[1].Value;
        string worker = Regex.Match(stacks, @"OS Thread Id: 0x[0-9a-f]+ \((\d+)\) ""order worker").Groups[1].Value;
        var more = GdbTranscript.Run(fixture.Trace, null,
            ["monitor goto-percent 100", $"monitor dumpobj {address}", "monitor dumpobj 8", $"monitor clrstack {worker}", "monitor clrstack 1", $"monitor clrstack -a {worker}"]);
        Assert.Contains("Name:        System.InvalidOperationException", more[1]);
        Assert.Matches($@"(?m)^ +8 System\.String +_message +0x[0-9a-f]+ ""{Message}""$", more[1]);
        Assert.Contains("0x8 is not the address of a managed object", more[2]);
        Assert.Contains("\"order worker thread #1\"", more[3]);
        Assert.Single(Regex.Matches(more[3], "OS Thread Id:"));
        Assert.Matches(@"^rewind: thread 1 is not a \.NET thread at event [\d,]+\n$", more[4]);
        // -a: each frame's arguments (named from the metadata) and locals (named from the PDB), as SOS's clrstack -a.
        Assert.Matches(@"Validate\(Int32, System\.String\) \[.*\]\n    PARAMETERS:\n        total = 21\n        kind = 0x[0-9a-f]+ ""order""\n0", more[5]);
        Assert.Matches(@"Process\(Int32\) \[.*\]\n    PARAMETERS:\n        count = 3\n    LOCALS:\n        order = 0x[0-9a-f]+\n        audit = 0x[0-9a-f]+\n0", more[5]);
    }

    [GdbFact]
    public void Gdb_monitor_clrstack_says_in_one_line_what_is_missing()
    {
        var t = GdbTranscript.Run(fixture.TraceWithoutDac, null, ["monitor clrstack", "monitor goto-percent 100", "monitor clrstack"]);
        Assert.Matches(@"^rewind: no \.NET runtime is loaded at event 0 \(libcoreclr\.so is not mapped: .*\); native debugging works as usual\n$", t[0]);
        Assert.Matches(@"^rewind: the trace holds no libmscordaccore\.so for the \.NET runtime /\S+: it was not beside libcoreclr\.so when recording, so managed frames cannot be read \(native debugging still works\)\n$", t[2]);
    }

    private static Task<ProcessResult> Stacks(params string[] args) =>
        ProcessRunner.RunAsync(RepoPaths.Rewind, ["stacks", .. args], Path.GetTempPath(), timeout: TimeSpan.FromMinutes(2));

    /// <summary>The lines of thread "<paramref name="name"/>" in a stacks report, up to the next thread's.</summary>
    private static string Section(string report, string name)
    {
        var m = Regex.Match(report, $@"(?ms)^Thread \d+ ""{Regex.Escape(name)}"".*?(?=^Thread |\z)");
        return m.Success ? m.Value : throw new Xunit.Sdk.XunitException($"no thread \"{name}\" in:\n{report}");
    }

    /// <summary>The number of the frame line matching <paramref name="pattern"/> (after "#N 0xPC").</summary>
    private static int Frame(string section, string pattern)
    {
        var m = Regex.Match(section, $@"(?m)^  #(\d+) +0x[0-9a-f]+{pattern}");
        return m.Success ? int.Parse(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException($"no frame matching {pattern} in:\n{section}");
    }
}
