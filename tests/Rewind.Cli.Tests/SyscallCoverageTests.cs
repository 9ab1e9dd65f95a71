using Rewind.Cli.Tests.Harness;
using Rewind.Syscalls;
using Rewind.Trace;

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
        Assert.Contains("syscall(1073742824) = -1 (Function not implemented)", rt.Recorded.StdoutLines);
        Assert.Contains("syscall(1 << 32 | getpid) is getpid: yes", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task SyscallsOfRecentKernelsRecordAndReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.NewerSyscalls);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("cachestat: ok, 3 of 3 pages cached", rt.Recorded.StdoutLines);
        // Replay seals the page again: its mprotect and munmap, which run there untraced, fail as recorded.
        Assert.Contains("munmap of the sealed page: EPERM", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task ASealedMappingIsSealedAgainInAReplayFromACheckpoint()
    {
        using var dir = new TempDirectory("sealed");
        string trace = dir.File("sealed.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.NewerSyscalls.Program), trace, dir.Path, interval: "0.02", args: ["seal", "200"]);
        Assert.Contains("mprotect of the sealed page: EPERM", recorded.StdoutLines);

        using var file = TraceFile.Open(trace);
        long sealedAt = file.Events().First(e => e.Event is SyscallEvent { Number: Nr.mseal }).Index;
        long lastNap = file.Events(sealedAt).Last(e => e.Event is SyscallEvent { Number: Nr.clock_nanosleep }).Index;
        // Those taken in the naps between the seal and the mprotect: one after them may come after the program's last output.
        var afterSeal = file.Starts.Where(c => c.EventIndex > sealedAt && c.EventIndex < lastNap).ToList();
        Assert.True(afterSeal.Count >= 2, $"{afterSeal.Count} checkpoints between the seal and the mprotect of {file.Summary.Checkpoints.Count}");
        // Each restores the page sealed: the program's mprotect and munmap of it, run again, fail as recorded.
        await CheckpointReplay.AssertReplaysFromSpreadAsync(trace, file, afterSeal, dir.Path, recorded, mustShow: "munmap of the sealed page: EPERM");
    }

    [Fact]
    public async Task OutputsWrittenBesideTheObviousOnesReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.KernelWrites);
        rt.AssertRecordedSameAsNative();
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task IoctlsWhoseNumberCarriesNoSizeReplayWhatTheKernelWrote()
    {
        // Each answer lands in memory set to 0x55 first: a replay that did not write it back prints that.
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Ioctls);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("SIOCGIFNAME(1) = 0: lo", rt.Recorded.StdoutLines);
        Assert.Contains("FIONREAD = 0: 3", rt.Recorded.StdoutLines);
        Assert.Contains("TIOCGWINSZ = 0: 33x101", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task AnswersThroughPointersReplayAndWaitsThatFindNothingKeepTheProgramsBytes()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.ProcessAnswers);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("PR_GET_CHILD_SUBREAPER = 0: 1", rt.Recorded.StdoutLines);
        Assert.Contains("capget probe = 0: version 0x20080522", rt.Recorded.StdoutLines);
        Assert.Contains("clone(CLONE_PIDFD | CLONE_VFORK): pidfd 3, the child exited 3", rt.Recorded.StdoutLines);
        // Made while a child runs, in buffers the recorder lent: what the kernel left alone stays the program's.
        Assert.Contains("wait4(WNOHANG) = 0: status 0x55555555", rt.Recorded.StdoutLines);
        Assert.Contains("accept into 6 bytes: a socket, length 16, family 2, byte 6 0x55", rt.Recorded.StdoutLines);
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
    public async Task FilesPast256MiBOfHolesAloneOrOfAFewPagesRecordAndReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.HoleMappings);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("memfd through a read-only descriptor at 256 MiB + 0: sum 0, \"\"", rt.Recorded.StdoutLines);
        Assert.Contains("sparse.bin through a read-only descriptor at 300 MiB + 8192: sum 1043690571, \"past 300 MiB\"", rt.Recorded.StdoutLines);
        Assert.Contains("sparse.bin at 399 MiB + 1044480: sum 1323750191, \"in the last page\"", rt.Recorded.StdoutLines);
        // The memfd's blob has no data piece: replay refused the trace ("lacks the content of a mapped file").
        rt.AssertReplayMatchesRecording();
        // Their data pieces alone are stored: three pages, not 912 MiB.
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
    public async Task KeysQuotasSegmentDescriptorsPortsAndPtraceRecordAndReplay()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.KernelAnswers);
        rt.AssertRecordedSameAsNative();
        Assert.Contains("read: 7 bytes \"payload\"", rt.Recorded.StdoutLines);
        // Replay loads the selector too, which faults unless modify_ldt ran again.
        Assert.Contains("loaded LDT selector 0x7", rt.Recorded.StdoutLines);
        Assert.Contains("ptrace of an untraced process: -1 No such process", rt.Recorded.StdoutLines);
        rt.AssertReplayMatchesRecording();
    }

    [Fact]
    public async Task AsynchronousIoAndOtherUnrecordableFacilitiesAreToldNotToExist()
    {
        using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.Withheld);
        string[] asked = ["io_setup", "io_uring_setup", "userfaultfd", "bpf", "perf_event_open"];
        Assert.Equal([.. asked.Select(name => $"{name}: not available, falling back"), "done"], rt.Recorded.StdoutLines);
        foreach (string name in asked)
            Assert.Contains($"rewind: the program was told {name} does not exist (ENOSYS)", rt.Recorded.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, rt.Recorded.ExitCode);
        // The notes are the recorder's, not the program's output.
        Assert.Equal(rt.Recorded.Stdout, rt.Replayed.Stdout);
        Assert.Equal(0, rt.Replayed.ExitCode);
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
    public async Task A32BitSyscallStopsTheRecordingByNameAndEveryOneFailsWithEnosys()
    {
        using var dir = new TempDirectory("record");
        string binary = Path.Combine(dir.Path, "int80");
        File.Copy(fixture.Programs.PathOf("int80"), binary);

        var recorded = await RewindCli.RecordAsync(dir.File("int80.rwd"), dir.Path, binary, []);

        Expect.NoStackTrace(recorded);
        Assert.Contains("a 32-bit syscall (int $0x80), getpid (i386 number 20)", recorded.Stderr);
        // Recording stops there; the program runs on to its end (every trapped syscall fails alike) and its status is passed through.
        Assert.Contains("ran on unrecorded", recorded.Stderr);
        Assert.Equal(["before the 32-bit syscall", .. Enumerable.Repeat("getpid by int $0x80: ENOSYS", 3)], recorded.StdoutLines);
        Assert.Equal(0, recorded.ExitCode);
        var replayed = await RewindCli.ReplayAsync(dir.File("int80.rwd"), dir.Path);
        Assert.Equal("before the 32-bit syscall\n", replayed.Stdout);
    }
}
