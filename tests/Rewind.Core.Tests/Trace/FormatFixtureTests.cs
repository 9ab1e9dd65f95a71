using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// traces/format-v1.rwd was written once by the first version-1 writer and is never
/// regenerated: every later reader must still read it (docs/trace-format.md, compatibility).
/// </summary>
public sealed class FormatFixtureTests
{
    [Fact]
    public void Version_1_fixture_still_reads()
    {
        using TraceReader reader = TraceReader.Open(Fixture("format-v1.rwd"));

        Assert.True(reader.IsComplete);
        Assert.Equal("fixture summary"u8.ToArray(), reader.Summary.ToArray());
        TraceHeader h = reader.Header;
        Assert.Equal(1, h.FormatVersion);
        Assert.Equal(new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc), h.CreatedUtc);
        Assert.Equal(["./hello", "world"], h.CommandLine);
        Assert.Equal("/home/user", h.WorkingDirectory);
        Assert.Equal(["LANG=C", "HOME=/home/user"], h.Environment);
        Assert.Equal(new[] { "fpu", "sse2", "avx2" }, h.Machine.CpuFlags);
        Assert.Equal("fixture-host", h.Machine.Hostname);
        // Written before the recording CPU's CPUID was recorded: replay judges it by its flags.
        Assert.Null(h.Machine.Cpuid);

        Assert.Equal(
            [(ChunkKind.Events, 0ul, 12), (ChunkKind.Blob, 0xABCDEFul, 0), (ChunkKind.Checkpoint, 7ul, 100_000)],
            reader.Chunks.Select(c => (c.Kind, c.Tag, c.RawLength)));
        Assert.Equal("events 0..9\n"u8.ToArray(), reader.ReadPayload(reader.Chunks[0]));
        Assert.Empty(reader.ReadPayload(reader.Chunks[1]));
        Assert.Equal(new byte[100_000], reader.ReadPayload(reader.Chunks[2]));
    }

    /// <summary>The repository's traces/ folder, found from the test binary upwards.</summary>
    private static string Fixture(string name)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "traces", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"traces/{name} not found above {AppContext.BaseDirectory}");
    }
}
