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
        Assert.True(dump.StdoutLines.Length == events, $"info says {events} events, dump printed {dump.StdoutLines.Length} lines\n{dump}");
    }

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
