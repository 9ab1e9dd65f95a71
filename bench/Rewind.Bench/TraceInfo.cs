using System.Diagnostics;
using System.Text.Json;

namespace Rewind.Bench;

/// <summary>What <c>rewind info --json</c> says about a trace that the benchmark needs.</summary>
internal sealed record TraceInfo(long Events, long FileBytes, long? RawBytes)
{
    public double BytesPerEvent => Events > 0 ? (double)FileBytes / Events : double.NaN;

    public static TraceInfo Read(string rewind, string trace)
    {
        var psi = new ProcessStartInfo(rewind) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("info");
        psi.ArgumentList.Add(trace);
        psi.ArgumentList.Add("--json");
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start rewind info");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"rewind info failed: {stderr.Result.Trim()}");
        using JsonDocument doc = JsonDocument.Parse(json);
        long events = Find(doc.RootElement, "events", "eventcount") ?? 0;
        long? raw = Find(doc.RootElement, "rawbytes", "rawsize", "uncompressedbytes", "uncompressedsize");
        return new TraceInfo(events, new FileInfo(trace).Length, raw);
    }

    // The field names are docs/trace-format.md's; accept the usual spellings.
    private static long? Find(JsonElement e, params string[] names)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return null;
        foreach (JsonProperty p in e.EnumerateObject())
        {
            string key = p.Name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
            if (names.Contains(key) && p.Value.ValueKind == JsonValueKind.Number)
                return p.Value.GetInt64();
        }
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (Find(p.Value, names) is { } inner)
                return inner;
        }
        return null;
    }
}
