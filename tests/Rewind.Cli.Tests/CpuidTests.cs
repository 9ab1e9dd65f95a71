using Rewind.Cli.Tests.Harness;
using Rewind.Cpu;

namespace Rewind.Cli.Tests;

/// <summary>
/// The program's own CPUID instructions and CPUID faulting switch (arch_prctl ARCH_GET_CPUID and
/// ARCH_SET_CPUID). Where this machine's CPU can fault, CPUID is trapped and answered from the
/// table the trace header holds; elsewhere the program reads the CPU, and the switch is the kernel's.
/// </summary>
public sealed class CpuidTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    internal static readonly bool CpuidFaults = CpuidInstruction.Traps;

    [Fact]
    public async Task The_programs_cpuid_and_its_faulting_switch_replay_as_recorded()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Cpuid);
        Assert.Equal(0, rt.Recorded.ExitCode);
        Assert.Contains(rt.Recorded.StdoutLines, l => l.EndsWith(", the worker's the same", StringComparison.Ordinal));
        // The switch is virtual where Rewind traps CPUID: the program sees its own choice, and its own trap faults.
        Assert.Contains(CpuidFaults ? "own trap: 1 fault(s), ARCH_GET_CPUID then 0" : "ARCH_SET_CPUID: No such device", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    /// <summary>
    /// A program reads the APIC ids of the core it runs on (untrapped; trapped it reads core 0's
    /// from the table): the recording keeps those of its core, and a replay kept off that core
    /// (by the patch) or free to go there (pinned to it) reads them as recorded.
    /// </summary>
    [Fact]
    public async Task The_apic_ids_a_program_reads_replay_as_recorded_on_any_core()
    {
        using var dir = new TempDirectory("apic");
        string last = (Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string program = fixture.Programs.PathOf(Scenarios.ApicIds.Program);
        var recorded = await ProcessRunner.RunAsync("taskset", ["-c", last, RepoPaths.Rewind, "record", "-o", "apic.rwd", "--", program], dir.Path);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        foreach (string cpus in new[] { "0", $"0-{last}" })
        {
            var replayed = await ProcessRunner.RunAsync("taskset", ["-c", cpus, RepoPaths.Rewind, "replay", "apic.rwd"], dir.Path);
            Assert.True(replayed.ExitCode == 0, replayed.ToString());
            Assert.Equal(recorded.Stdout, replayed.Stdout);
        }
    }

    /// <summary>
    /// Traces recorded on an Intel Xeon (family 6 model 0xcf) with <c>--cpu baseline</c>: the
    /// program printing its CPUID (and making its own CPUID fault), and a worker preempted in a
    /// loop. Replayed here they print what they printed there: where this CPU faults CPUID, by
    /// the trap; where it cannot, by the patched instructions (CpuidPatch).
    /// </summary>
    [Theory]
    [InlineData("xeon-baseline-cpuid.rwd",
        "vendor: GenuineIntel, max leaf 0x20\n"
        + "leaf 1: eax 000c06f2 ecx 3cd83201 edx 178bfbfd (rdrand hidden)\n"
        + "leaf 7: ebx 00000128 ecx 00000000 edx 00000000 (avx2 shown, avx512f hidden, rdseed hidden)\n"
        + "digest 04715b66f05b5313, the worker's the same\n"
        + "ARCH_GET_CPUID: 1\n"
        + "own trap: 1 fault(s), ARCH_GET_CPUID then 0\n"
        + "after ARCH_SET_CPUID 1: max leaf 0x20, ARCH_GET_CPUID 1\n")]
    [InlineData("xeon-baseline-spin-counter.rwd", "main computed 26504027780911e2 while the worker spun 52171174 laps\n")]
    public async Task A_baseline_trace_from_an_intel_xeon_replays_here_as_recorded(string trace, string output)
    {
        using var dir = new TempDirectory("xeon-trace");
        var replayed = await RewindCli.ReplayAsync(Path.Combine(RepoPaths.Root, "traces", trace), dir.Path);
        Assert.Equal("", replayed.Stderr);
        Assert.Equal(0, replayed.ExitCode);
        Assert.Equal(output, replayed.Stdout);
    }

    /// <summary>
    /// <c>queued_signals</c> recorded on the Intel Xeon with its own CPUID (trapped): signals arrive
    /// one inside another's handler, so their places lie in frames whose start depends on the CPU's
    /// XSAVE size (2816 bytes there, 2432 on the Zen 5 VM). Replayed on another CPU, the frames are
    /// moved where the Xeon's kernel built them (ForeignFrames). <c>--any-cpu</c>: the Xeon showed
    /// AMX, which the program never executes.
    /// </summary>
    [Fact]
    public async Task A_trace_from_an_intel_xeon_with_signals_inside_handlers_replays_here_as_recorded()
    {
        using var dir = new TempDirectory("xeon-trace");
        var replayed = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["replay", "--any-cpu", Path.Combine(RepoPaths.Root, "traces", "xeon-queued-signals.rwd")], dir.Path);
        Assert.True(replayed.ExitCode == 0, replayed.ToString());
        string round = string.Concat(
            "round {0}: pending SIGUSR1 1 SIGUSR2 1 SIGRTMIN+0 1 SIGRTMIN+1 1 SIGRTMIN+2 1\n",
            "round {0}: 12 came\n",
            string.Concat(Enumerable.Range(200, 3).Select(v => $"  SIGRTMIN+1 SI_QUEUE value {v} from itself 1, SIGTRAP blocked 1\n")),
            string.Concat(Enumerable.Range(100, 5).Select(v => $"  SIGRTMIN+0 SI_QUEUE value {v} from itself 1, SIGTRAP blocked 1\n")),
            "  SIGUSR2 SI_USER value 0 from itself 1, SIGTRAP blocked 1\n",
            "  SIGUSR1 SI_USER value 0 from itself 1, SIGTRAP blocked 1\n",
            "  SIGRTMIN+2 SI_TKILL value 0 from itself 1, SIGTRAP blocked 1\n",
            "  SIGRTMIN+2 SI_TKILL value 0 from itself 1, SIGTRAP blocked 1\n");
        Assert.Equal(string.Format(round, 0) + string.Format(round, 1) + "SIGTRAP blocked 1\n", replayed.Stdout);
    }

    [CpuidFaultingFact(Needed = false)]
    public async Task A_baseline_cpu_is_refused_in_one_line_where_cpuid_cannot_fault()
    {
        using var dir = new TempDirectory("cpuid-baseline");
        var result = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "--cpu", "baseline", "-o", dir.File("t.rwd"), "--", "true"], dir.Path);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("rewind: a baseline CPU can only be shown to the program where CPUID faults, and this machine cannot make it fault (", line);
        Assert.False(File.Exists(dir.File("t.rwd")));
    }

    [CpuidFaultingFact(Needed = true)]
    public async Task A_baseline_trace_shows_an_x86_64_v3_cpu_and_replays_it()
    {
        using var dir = new TempDirectory("cpuid-baseline");
        string trace = dir.File("t.rwd");
        var recorded = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "--cpu", "baseline", "-o", trace, "--", fixture.Programs.PathOf("cpuid")], dir.Path);
        Assert.Equal(0, recorded.ExitCode);
        Assert.Contains(recorded.StdoutLines, l => l.StartsWith("leaf 1:", StringComparison.Ordinal) && l.EndsWith("(rdrand hidden)", StringComparison.Ordinal));
        Assert.Contains(recorded.StdoutLines, l => l.EndsWith("(avx2 shown, avx512f hidden, rdseed hidden)", StringComparison.Ordinal));
        var info = await RewindCli.InfoAsync(trace, dir.Path);
        Assert.Contains("cpuid:       trapped, answered as an x86-64-v3 CPU (rewind record --cpu baseline)", info.StdoutLines);
        var replayed = await RewindCli.ReplayAsync(trace, dir.Path);
        Assert.Equal(0, replayed.ExitCode);
        Assert.Equal(recorded.StdoutLines, replayed.StdoutLines);
    }
}

/// <summary>A fact for a machine whose CPU has CPUID faulting (<see cref="Needed"/>) or has none: skipped on the other kind.</summary>
public sealed class CpuidFaultingFactAttribute : FactAttribute
{
    public bool Needed
    {
        get => field;
        set
        {
            field = value;
            Skip = value == CpuidTests.CpuidFaults ? null
                : value ? "CPUID cannot be made to fault here (no CPUID faulting, or arch_prctl refused)"
                : "this CPU has CPUID faulting, which shows the baseline";
        }
    }
}
