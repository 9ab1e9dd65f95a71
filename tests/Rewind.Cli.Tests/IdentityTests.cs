using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>Randomness, process ids, the machine's name and the program's arguments, environment and auxv.</summary>
public sealed class IdentityTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task GetrandomAndDevUrandomReplayTheRecordedBytes()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Random);
        rt.AssertRecordedShapedLikeNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task PidsReplayAsRecorded()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Pids);
        rt.AssertRecordedShapedLikeNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task UnameAndSysinfoReplayAsRecorded()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Uname);
        rt.AssertRecordedShapedLikeNative();
        foreach (string key in new[] { "sysname: ", "release: ", "machine: ", "nodename: " })
            Assert.Equal(rt.Native.StdoutLines.Single(l => l.StartsWith(key, StringComparison.Ordinal)),
                         rt.Recorded.StdoutLines.Single(l => l.StartsWith(key, StringComparison.Ordinal)));
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task ArgvEnvpAndAuxvReplayAsRecorded()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Args);
        rt.AssertRecordedShapedLikeNative();

        // The program gets its arguments and environment exactly as without rewind. (The
        // native run's argv[0] is the absolute path System.Diagnostics.Process resolved.)
        static string[] Passed(ProcessResult r) =>
            r.StdoutLines.Where(l => (l.StartsWith("arg", StringComparison.Ordinal) || l.StartsWith("env", StringComparison.Ordinal))
                                     && !l.StartsWith("argv[0]: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Passed(rt.Native), Passed(rt.Recorded));
        Assert.Contains("argv[0]: [./args]", rt.Recorded.StdoutLines);
        Assert.Contains("argv[2]: [two words]", rt.Recorded.StdoutLines);
        Assert.Contains("argv[3]: []", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }
}
