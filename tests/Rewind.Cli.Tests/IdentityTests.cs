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
        static string[] Lines(ProcessResult r, string prefix) =>
            r.StdoutLines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]).ToArray();
        Assert.Equal(Lines(rt.Native, "argv[").Skip(1), Lines(rt.Recorded, "argv[").Skip(1));
        Assert.Equal("[./args]", Lines(rt.Recorded, "argv[0]").Single());
        // PWD names each run's own directory: native and recorded runs have different ones.
        static string[] Env(ProcessResult r) => Lines(r, "env[").Where(e => !e.StartsWith("PWD=", StringComparison.Ordinal)).ToArray();
        string[] nativeEnv = Env(rt.Native), recordedEnv = Env(rt.Recorded);
        Assert.Equal(nativeEnv.Order(StringComparer.Ordinal), recordedEnv.Order(StringComparer.Ordinal));
        Assert.True(nativeEnv.SequenceEqual(recordedEnv),
            "the recorded program got the same environment variables, but not in the order rewind received them:\n" +
            string.Join("\n", nativeEnv.Zip(recordedEnv, (n, r) => n == r ? $"  {n}" : $"- {n}\n+ {r}").Take(6)));
        Assert.Contains("argv[2]: [two words]", rt.Recorded.StdoutLines);
        Assert.Contains("argv[3]: []", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }
}
