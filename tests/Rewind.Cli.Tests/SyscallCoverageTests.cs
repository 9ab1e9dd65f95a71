using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>Syscalls at the edges of the table: numbers no Linux has, other ABIs, outputs easy to miss.</summary>
public sealed class SyscallCoverageTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task SyscallNumbersNoLinuxHasFailWithEnosysAndTheRecordingGoesOn()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.UnknownSyscalls);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("syscall(-1) = -1 (Function not implemented)", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task OutputsWrittenBesideTheObviousOnesReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.KernelWrites);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task MemoryTheKernelRefillsOrMovesReplays()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.KernelMemory);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("file DONTNEED = 0: fghijklm ########, sum 7001703292647517824", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task DevZeroMapsAsAnonymousMemory()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.DevZero);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("zero-filled: sum 0, at an offset 0", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task MappingsOf2GbAndMoreRecordAndReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.BigMappings);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("private past 2 GB: past 2 GB", rt.Recorded.StdoutLines);
        Assert.Contains("/dev/zero 2.5 GB: sum of three pages 2801038237, last 7", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
        // Only the sparse file's few pages of data are stored, not its 3 GB.
        Assert.InRange(new FileInfo(rt.TracePath).Length, 1, 64 << 20);
    }

    [Fact]
    public async Task SystemVSemaphoresQueuesAndProcessVmCallsRecordAndReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.SysvIpc);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("msgrcv 25: type 7, through a System V queue", rt.Recorded.StdoutLines);
        Assert.Contains("process_vm_writev 32: written by process_vm_writev", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task ExecByDescriptorRecordsAndReplays()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Fexecve);
        rt.AssertRecordedSameAsNative();
        Assert.Equal(["after execveat: argv[0] again", "the child exited 0", "after fexecve: argv[0] itself"], rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task A32BitSyscallStopsTheRecordingByNameAndTheProgramRunsOn()
    {
        using var dir = new TempDirectory("record");
        string binary = Path.Combine(dir.Path, "int80");
        File.Copy(fixture.Programs.PathOf("int80"), binary);

        var recorded = await RewindCli.RecordAsync(dir.File("int80.rwd"), dir.Path, binary, []);

        Expect.NoStackTrace(recorded);
        Assert.Contains("a 32-bit syscall (int $0x80), number 20", recorded.Stderr);
        // Recording stops there; the program runs on to its end (the trapped syscall fails) and its status is passed through.
        Assert.Contains("ran on unrecorded", recorded.Stderr);
        Assert.Equal(["before the 32-bit syscall", "getpid by int $0x80: an error"], recorded.StdoutLines);
        Assert.Equal(0, recorded.ExitCode);
        var replayed = await RewindCli.ReplayAsync(dir.File("int80.rwd"), dir.Path);
        Assert.Equal("before the 32-bit syscall\n", replayed.Stdout);
    }
}
