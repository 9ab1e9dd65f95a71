using System.Text.Json;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary><c>rewind info</c> and <c>rewind dump</c> on a good trace.</summary>
public sealed class TraceToolsTests
{
    [Fact]
    public async Task InfoJsonHasTheCommandLineAndEvents()
    {
        using var dir = new TempDirectory("info");
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        await File.WriteAllBytesAsync(dir.File("hello.rwd"), trace.Bytes);

        ProcessResult r = await RewindCli.InfoAsync("hello.rwd", dir.Path, json: true);
        Expect.NoStackTrace(r);
        Assert.True(r.ExitCode == 0, r.ToString());
        using JsonDocument doc = ParseJson(r);
        JsonElement root = doc.RootElement;
        Assert.Equal(["./hello"], root.GetProperty("commandLine").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("events").GetInt64() > 0, r.ToString());
        // The rest of what info promises: machine, duration, checkpoints, files, sizes.
        Assert.Equal(trace.Bytes.Length, root.GetProperty("fileBytes").GetInt64());
        Assert.True(root.GetProperty("rawBytes").GetInt64() > 0, r.ToString());
        Assert.True(root.GetProperty("durationSeconds").GetDouble() > 0, r.ToString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("kernel").GetString()), r.ToString());
        Assert.True(root.GetProperty("complete").GetBoolean(), r.ToString());
        Assert.NotEmpty(root.GetProperty("checkpoints").EnumerateArray());
        Assert.Contains(root.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString()!.EndsWith("/hello", StringComparison.Ordinal));
        Assert.Equal(0, root.GetProperty("exit").GetProperty("code").GetInt32());
        Assert.False(root.GetProperty("exit").TryGetProperty("signal", out _), r.ToString());
        // The recording CPU, decoded from its recorded CPUID.
        JsonElement cpu = root.GetProperty("processor");
        Assert.Equal(System.Runtime.Intrinsics.X86.X86Base.CpuId(0, 0).Ebx == 0x68747541 ? "AuthenticAMD" : "GenuineIntel", cpu.GetProperty("vendor").GetString());
        Assert.True(cpu.GetProperty("family").GetInt32() > 0, r.ToString());
        Assert.Contains("sse2", cpu.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("cpuid", cpu.GetProperty("featuresFrom").GetString());
        // The version as it is ("0.1.0+commit"), not with "+" escaped.
        Assert.Contains("\"rewindVersion\": \"0.1.0+", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InfoJsonGivesACrashAsItsSignalWithNoExitCode()
    {
        using var dir = new TempDirectory("info");
        string trace = dir.File("crash.rwd");
        await RewindCli.RecordAsync(trace, dir.Path, CompiledPrograms.Shared.PathOf("crash"), []);
        ProcessResult r = await RewindCli.InfoAsync(trace, dir.Path, json: true);
        Assert.True(r.ExitCode == 0, r.ToString());
        using JsonDocument doc = ParseJson(r);
        JsonElement exit = doc.RootElement.GetProperty("exit");
        Assert.Equal(11, exit.GetProperty("signal").GetInt32());
        Assert.Equal("SIGSEGV", exit.GetProperty("name").GetString());
        Assert.False(exit.TryGetProperty("code", out _), r.ToString());
    }

    [Fact]
    public async Task InfoDescribesTheTrace()
    {
        using var dir = new TempDirectory("info");
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        await File.WriteAllBytesAsync(dir.File("hello.rwd"), trace.Bytes);

        ProcessResult r = await RewindCli.InfoAsync("hello.rwd", dir.Path);
        Expect.NoStackTrace(r);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("hello", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^cpu: +\S+ family 0x[0-9a-f]+ model 0x[0-9a-f]+ stepping \d+$", r.Stdout);
        Assert.Matches(@"(?m)^features: .*\bsse2\b.*\(from cpuid\)$", r.Stdout);
        Assert.Empty(r.Stderr);
    }

    [Fact]
    public async Task DumpPrintsOneLinePerEvent()
    {
        using var dir = new TempDirectory("dump");
        RecordedTrace trace = await RecordedTrace.SharedAsync();
        await File.WriteAllBytesAsync(dir.File("hello.rwd"), trace.Bytes);

        ProcessResult info = await RewindCli.InfoAsync("hello.rwd", dir.Path, json: true);
        Assert.True(info.ExitCode == 0, info.ToString());
        using JsonDocument doc = ParseJson(info);
        long events = doc.RootElement.GetProperty("events").GetInt64();

        ProcessResult dump = await RewindCli.DumpAsync("hello.rwd", dir.Path);
        Expect.NoStackTrace(dump);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.Empty(dump.Stderr);
        Assert.All(dump.StdoutLines, line => Assert.False(string.IsNullOrWhiteSpace(line)));
        Assert.StartsWith("# hello.rwd: ./hello (pid ", dump.StdoutLines[0], StringComparison.Ordinal);
        Assert.True(dump.StdoutLines.Length == events + 1, $"info says {events} events, dump printed {dump.StdoutLines.Length} lines after its header\n{dump}");
        Assert.Matches(@"^ +\d+ +\d+\.\d{6} \[tid \d+\] \+\+\+ exited with 0 \+\+\+$", dump.StdoutLines[^1]);
    }

    [Fact]
    public async Task DumpShowsSyscallsAsStraceDoes()
    {
        using var dir = new TempDirectory("dump");
        var (input, trace) = await RecordReadfileAsync(dir, "line one\nline two\n");

        ProcessResult dump = await RewindCli.DumpAsync(trace, dir.Path);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        string[] calls = [.. dump.StdoutLines.Skip(1).Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..])];
        Assert.Contains($"openat(AT_FDCWD, \"{input}\", O_RDONLY) = 3", calls);
        Assert.Contains("read(3, \"line on\", 7) = 7", calls);
        Assert.Contains("access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT (No such file or directory)", calls);
        Assert.Contains(calls, c => c.StartsWith("mmap(NULL, ", StringComparison.Ordinal) && c.Contains("PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x", StringComparison.Ordinal));
        Assert.Contains("exit_group(0) = ?", calls);

        // strace (Debian's) on the same program prints the same lines for the syscalls both show.
        string? strace = Gdb.ChildProcess.Find("strace");
        if (strace == null)
        {
            return;
        }
        string log = dir.File("strace.txt");
        var run = await ProcessRunner.RunAsync(strace, ["-o", log, CompiledPrograms.Shared.PathOf("readfile"), input], dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        var straced = File.ReadAllLines(log).Select(Collapse).ToList();
        foreach (string call in new[] { "openat(AT_FDCWD", "read(3", "close(3", "pread64(3", "access(" })
        {
            var ours = calls.Where(c => c.StartsWith(call, StringComparison.Ordinal)).ToList();
            var theirs = straced.Where(c => c.StartsWith(call, StringComparison.Ordinal)).ToList();
            Assert.True(ours.Count > 0, $"no {call} in the dump:\n{dump}");
            Assert.Equal(theirs, ours);
        }
    }

    [Fact]
    public async Task DumpJsonIsOneObjectPerEventAndInfoListsTheFilesOpened()
    {
        using var dir = new TempDirectory("dump");
        var (input, trace) = await RecordReadfileAsync(dir, "some text\n");

        ProcessResult dump = await RewindCli.DumpAsync(trace, dir.Path, json: true);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        var events = dump.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("index").GetInt32()));
        var open = events.Single(e => e.TryGetProperty("paths", out var p) && p[0].GetString() == input);
        Assert.Equal("openat", open.GetProperty("name").GetString());
        Assert.Equal(3, open.GetProperty("result").GetInt64());
        Assert.Equal($"AT_FDCWD, \"{input}\", O_RDONLY", open.GetProperty("decoded").GetString());
        var missing = events.First(e => e.TryGetProperty("error", out _));
        Assert.Equal("ENOENT", missing.GetProperty("error").GetString());
        Assert.Equal("exit", events[^1].GetProperty("kind").GetString());

        ProcessResult info = await RewindCli.InfoAsync(trace, dir.Path, json: true);
        using JsonDocument doc = ParseJson(info);
        Assert.Contains(doc.RootElement.GetProperty("opened").EnumerateArray(),
            f => f.GetProperty("path").GetString() == input && f.GetProperty("access").GetString() == "read" && f.GetProperty("opens").GetInt32() == 1);
        ProcessResult text = await RewindCli.InfoAsync(trace, dir.Path);
        Assert.Contains($"  {input} (read)", text.StdoutLines);
    }

    /// <summary>readfile recorded reading a file that holds <paramref name="text"/>.</summary>
    private static async Task<(string Input, string Trace)> RecordReadfileAsync(TempDirectory dir, string text)
    {
        string input = dir.File("input.txt");
        await File.WriteAllTextAsync(input, text);
        string trace = dir.File("readfile.rwd");
        await RewindCli.RecordAsync(trace, dir.Path, CompiledPrograms.Shared.PathOf("readfile"), [input]);
        return (input, trace);
    }

    /// <summary>strace pads the " = result" to a column: one space, as the dump writes it.</summary>
    private static string Collapse(string line) => System.Text.RegularExpressions.Regex.Replace(line, @"\) +=", ") =");

    private static JsonDocument ParseJson(ProcessResult r)
    {
        try
        {
            return JsonDocument.Parse(r.Stdout);
        }
        catch (JsonException e)
        {
            return Fail<JsonDocument>($"rewind info --json printed invalid JSON: {e.Message}", r);
        }
    }

    private static T Fail<T>(string message, ProcessResult r)
    {
        Assert.Fail($"{message}\n{r}");
        return default!;
    }
}
