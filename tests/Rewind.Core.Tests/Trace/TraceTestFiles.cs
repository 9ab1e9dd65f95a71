using Rewind.Trace;

namespace Rewind.Core.Tests.Trace;

/// <summary>A scratch directory per test class, and helpers to make traces and bad bytes.</summary>
public sealed class TraceTestFiles : IDisposable
{
    public TraceTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "rewind-trace-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathFor(string name) => Path.Combine(Directory, name);

    public static TraceHeader SampleHeader() => TraceHeader.ForThisMachine(
        ["/usr/bin/app", "--flag", "argument with spaces"], "/home/user/project", ["PATH=/usr/bin", "HOME=/home/user"]);

    /// <summary>A deterministic, partly compressible payload.</summary>
    public static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        var random = new Random(seed);
        for (int i = 0; i < length; i++)
            bytes[i] = (byte)(i % 7 == 0 ? random.Next(256) : i / 64);
        return bytes;
    }

    /// <summary>Writes <paramref name="count"/> chunks, then completes the trace or just flushes it.</summary>
    public string WriteTrace(string name, int count, bool complete, out List<ChunkInfo> written)
    {
        string path = PathFor(name);
        written = [];
        using TraceWriter writer = TraceWriter.Create(path, SampleHeader());
        for (int i = 0; i < count; i++)
            written.Add(writer.WriteChunk(ChunkKind.Events, (ulong)i, Payload(1000 + (i * 100), i)));
        if (complete)
            writer.Complete("summary"u8);
        else
            writer.Flush();
        return path;
    }

    /// <summary>The exception's message, asserted to be one line that contains <paramref name="expected"/>.</summary>
    public static string AssertOneLine(Exception e, string expected)
    {
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        return e.Message;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
