using System.Diagnostics;
using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// docs/trace-format.md promises that a chunk cut out by hand decodes with the `lz4` tool;
/// these tests run exactly the commands the document shows.
/// </summary>
public sealed class Lz4CommandLineTests : IClassFixture<TraceTestFiles>
{
    private readonly TraceTestFiles _files;

    public Lz4CommandLineTests(TraceTestFiles files) => _files = files;

    [Fact]
    public void Header_chunk_decodes_with_lz4_to_readable_json()
    {
        if (!File.Exists("/usr/bin/lz4"))
            return; // the lz4 tool (Debian package lz4) is not installed: nothing to check against
        string path = _files.WriteTrace("cli.rwd", 1, complete: true, out _);

        // As in docs/trace-format.md: the Header chunk starts at byte 16.
        string json = Run($"OFF=16; LEN=$(od -An -tu4 -j $((OFF+16)) -N4 {path} | tr -d ' '); tail -c +$((OFF+25)) {path} | head -c $LEN | lz4 -dc");

        Assert.Contains("\"commandLine\": [", json, StringComparison.Ordinal);
        Assert.Contains("argument with spaces", json, StringComparison.Ordinal);
        Assert.Contains("\"cpuFlags\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_chunk_decodes_with_lz4_at_its_offset()
    {
        if (!File.Exists("/usr/bin/lz4"))
            return;
        string path = _files.PathFor("cli-events.rwd");
        byte[] payload = "hello from an events chunk\n"u8.ToArray();
        ChunkInfo chunk;
        using (TraceWriter writer = TraceWriter.Create(path, TraceTestFiles.SampleHeader()))
        {
            writer.WriteChunk(ChunkKind.Blob, 1, TraceTestFiles.Payload(5000, 5));
            chunk = writer.WriteChunk(ChunkKind.Events, 2, payload);
            writer.Complete([]);
        }

        string text = Run($"OFF={chunk.Offset}; LEN=$(od -An -tu4 -j $((OFF+16)) -N4 {path} | tr -d ' '); tail -c +$((OFF+25)) {path} | head -c $LEN | lz4 -dc");

        Assert.Equal("hello from an events chunk\n", text);
    }

    private static string Run(string script)
    {
        var start = new ProcessStartInfo("/bin/bash", ["-c", "set -o pipefail; " + script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bash exited {process.ExitCode}: {error}");
        return output;
    }
}
