namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// One recording of the quiet program (tests/programs/hello.c, nothing on stderr), made
/// once per test run, for the tests that inspect or damage a good trace.
/// </summary>
internal sealed class RecordedTrace
{
    private static readonly Lazy<Task<RecordedTrace>> LazyShared = new(RecordAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private RecordedTrace(byte[] bytes, ProcessResult recorded)
    {
        Bytes = bytes;
        Recorded = recorded;
    }

    /// <summary>The trace file's bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>What <c>rewind record</c> showed.</summary>
    public ProcessResult Recorded { get; }

    public static Task<RecordedTrace> SharedAsync() => LazyShared.Value;

    private static async Task<RecordedTrace> RecordAsync()
    {
        using var dir = new TempDirectory("record");
        File.Copy(CompiledPrograms.Shared.PathOf("hello"), dir.File("hello"));
        ProcessResult r = await RewindCli.RecordAsync(dir.File("hello.rwd"), dir.Path, "./hello", []);
        Expect.NoStackTrace(r);
        if (r.ExitCode != 0 || r.Stderr.Length != 0 || r.StdoutLines.Length != 5 || !File.Exists(dir.File("hello.rwd")))
            Assert.Fail($"recording tests/programs/hello.c failed\n{r}");
        return new RecordedTrace(await File.ReadAllBytesAsync(dir.File("hello.rwd")), r);
    }
}
