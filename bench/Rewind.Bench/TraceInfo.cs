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
        // The names are those of `rewind info --json` (src/Rewind.Cli).
        JsonElement root = doc.RootElement;
        return new TraceInfo(root.GetProperty("events").GetInt64(), root.GetProperty("fileBytes").GetInt64(), root.GetProperty("rawBytes").GetInt64());
    }
}
