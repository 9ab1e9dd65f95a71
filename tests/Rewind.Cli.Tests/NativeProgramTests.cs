using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>The test programs themselves work, without rewind: the baseline of every other test.</summary>
public sealed class NativeProgramTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    public static TheoryData<string> Programs => new(Scenarios.All.Select(s => s.Program));

    [Fact]
    public void EveryProgramHasAScenario()
    {
        string[] sources = Directory.GetFiles(RepoPaths.Programs, "*.c").Select(Path.GetFileNameWithoutExtension).ToArray()!;
        // tests/programs/live holds the jobs LiveTests hibernates; they are not recorded.
        string[] live = Directory.GetFiles(Path.Combine(RepoPaths.Programs, "live"), "*.c").Select(Path.GetFileNameWithoutExtension).ToArray()!;
        Assert.Equal(sources.Order(), Scenarios.All.Select(s => s.Program).Order());
        Assert.Equal(sources.Concat(live).Order(), fixture.Programs.Names.Order());
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task RunsNatively(string program)
    {
        Scenario scenario = Scenarios.ByName(program);
        using var dir = new TempDirectory("native");
        ProcessResult r = await RoundTrip.RunNativeAsync(fixture.Programs, scenario, dir.Path);
        Expect.SameExit(program, scenario.ExpectedExit, r, r);
        Assert.NotEmpty(r.StdoutLines);
    }

    [Fact]
    public async Task NativeOutputOfTheDeterministicProgramsIsStable()
    {
        foreach (Scenario s in new[] { Scenarios.ReadFile, Scenarios.Stdin, Scenarios.MmapFile, Scenarios.Signals, Scenarios.Exit3, Scenarios.Fork1000 })
        {
            using var a = new TempDirectory("native");
            using var b = new TempDirectory("native");
            ProcessResult first = await RoundTrip.RunNativeAsync(fixture.Programs, s, a.Path);
            ProcessResult second = await RoundTrip.RunNativeAsync(fixture.Programs, s, b.Path);
            Expect.SameText($"{s.Program}'s stdout", first.Stdout, second.Stdout, first, second);
            Expect.SameText($"{s.Program}'s stderr", first.Stderr, second.Stderr, first, second);
        }
    }

    [Fact]
    public async Task ProgramsReadingTheWorldPrintDifferentValuesEachRun()
    {
        // Otherwise replay equal to record would prove nothing.
        foreach (Scenario s in new[] { Scenarios.Time, Scenarios.Rdtsc, Scenarios.Random, Scenarios.Pids })
        {
            using var a = new TempDirectory("native");
            using var b = new TempDirectory("native");
            ProcessResult first = await RoundTrip.RunNativeAsync(fixture.Programs, s, a.Path);
            ProcessResult second = await RoundTrip.RunNativeAsync(fixture.Programs, s, b.Path);
            Assert.NotEqual(first.Stdout, second.Stdout);
            Assert.Equal(Expect.Shape(first.Stdout), Expect.Shape(second.Stdout));
        }
    }

    [Fact]
    public async Task AppendAddsOneLine()
    {
        using var dir = new TempDirectory("native");
        ProcessResult r = await RoundTrip.RunNativeAsync(fixture.Programs, Scenarios.Append, dir.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["appended by rewind test"], File.ReadAllLines(dir.File("out.txt")));
    }
}
