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
        string commandLine = CommandLine(doc.RootElement) ?? Fail<string>("no command line in the JSON", r);
        Assert.Contains("hello", commandLine, StringComparison.Ordinal);
        Assert.True(EventCount(doc.RootElement, r) > 0, r.ToString());
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
        long events = EventCount(doc.RootElement, info);

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

    // The JSON's field names are the trace schema's (docs/trace-format.md); accept the usual spellings.
    private static readonly string[] CommandLineNames = ["commandline", "cmdline", "command", "argv", "args"];
    private static readonly string[] EventCountNames = ["events", "eventcount", "eventscount", "numevents"];

    private static string? CommandLine(JsonElement e)
    {
        JsonElement? found = Find(e, CommandLineNames);
        return found switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Array } a => string.Join(' ', a.EnumerateArray().Select(x => x.ToString())),
            _ => null,
        };
    }

    private static long EventCount(JsonElement e, ProcessResult r) =>
        Find(e, EventCountNames) is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : Fail<long>("no event count in the JSON", r);

    private static JsonElement? Find(JsonElement e, string[] names)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in e.EnumerateObject())
            {
                string key = p.Name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
                if (names.Contains(key))
                    return p.Value;
            }
            foreach (JsonProperty p in e.EnumerateObject())
            {
                if (Find(p.Value, names) is { } inner)
                    return inner;
            }
        }
        return null;
    }

    private static T Fail<T>(string message, ProcessResult r)
    {
        Assert.Fail($"{message}\n{r}");
        return default!;
    }
}
