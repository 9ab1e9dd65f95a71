using Rewind.Cli.Tests.Harness;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// Syscalls answered in the program: their sites patched to Rewind's page of hooked syscalls
/// (SyscallHookPage), their calls logged with the time reads and taken at the next event.
/// </summary>
public sealed class HookedSyscallTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    /// <summary>
    /// Three times over: threads making hooked calls mixed with time reads past their slices (the
    /// log fills, and the call that finds it full is a stop), a 1 ms timer's handler making them
    /// too (signals arrive amid the log's code, where the recorder steps the thread on first), the
    /// calls that take the kernel's way, failures and bad pointers, and a forked child going on
    /// with the patched code. What each thread's calls answered, in order, is the output.
    /// </summary>
    [Fact]
    public async Task HookedSyscallsReplayAsRecordedAmidThreadsSignalsAndAFork()
    {
        for (int run = 0; run < 3; run++)
        {
            using RoundTrip rt = await RoundTrip.RunAsync(fixture.Programs, Scenarios.HookedSyscalls);
            Assert.Contains("a bad path: -1 Bad address", rt.Recorded.StdoutLines);
            Assert.Contains("no buffer: -1 Bad address", rt.Recorded.StdoutLines);
            Assert.Contains("child ended 0", rt.Recorded.StdoutLines);
            Assert.Contains("open of a FIFO: opened, read 17: through the FIFO", rt.Recorded.StdoutLines);
            Assert.Contains("mmaps: anonymous mapped, a file's: root, shared: 42", rt.Recorded.StdoutLines);
            rt.AssertReplayMatchesRecording();

            using var trace = TraceFile.Open(rt.TracePath);
            var events = trace.Events(0).Select(e => e.Event).ToList();
            var calls = events.OfType<SyscallEvent>().Where(e => SyscallHookPage.Hooks(e.Number)).ToList();
            Assert.True(calls.Count(SyscallHookPage.IsLogged) > 10_000, $"{calls.Count(SyscallHookPage.IsLogged)} of {calls.Count} hooked calls logged in the program");
            // The 8 KiB readlink took the kernel's way, as did each call that found the log full.
            Assert.Contains(calls, c => c.Number == Nr.readlink && c.Args[2] == 8192 && !SyscallHookPage.IsLogged(c));
            Assert.True(calls.Count(c => !SyscallHookPage.IsLogged(c)) > 10, "no call found the log full");
            // Paths are kept for the dump, but the one longer than the log keeps.
            Assert.Contains(calls, c => SyscallHookPage.IsLogged(c) && c.Paths is ["/proc/self/exe"]);
            Assert.Contains(calls, c => c.Number == Nr.newfstatat && SyscallHookPage.IsLogged(c) && c.Paths == null && c.Result == 0);
            // The opens of a file, a directory and nothing there were made in the page; those to write, and of the FIFO, at their sites.
            var opens = calls.Where(c => c.Number == Nr.openat).ToList();
            Assert.Contains(opens, c => SyscallHookPage.IsLogged(c) && c.Paths is ["/etc/passwd"] && c.Result >= 0);
            Assert.Contains(opens, c => SyscallHookPage.IsLogged(c) && c.Paths is ["/etc"] && c.Result >= 0);
            Assert.Contains(opens, c => SyscallHookPage.IsLogged(c) && c.Paths is ["/nonexistent/hooked"] && c.Result == -Errno.ENOENT);
            Assert.DoesNotContain(opens, c => SyscallHookPage.IsLogged(c) && c.Paths is ["hooked.fifo"] or ["hooked.made"]);
            Assert.Contains(opens, c => !SyscallHookPage.IsLogged(c) && c.Paths is ["hooked.fifo"] && c.Result >= 0);
            // The reads of a file were made in the page, the FIFO's at its site.
            var reads = calls.Where(c => c.Number == Nr.read).ToList();
            Assert.Contains(reads, c => SyscallHookPage.IsLogged(c) && c.Args[2] == 4 && c.Result == 4);
            Assert.Contains(reads, c => !SyscallHookPage.IsLogged(c) && c.Args[2] == 63 && c.Result == 17);
            Assert.DoesNotContain(reads, c => SyscallHookPage.IsLogged(c) && c.Args[2] == 63);
            // Private anonymous memory was mapped in the page; a file's mapping and shared memory at the site.
            const ulong MapShared = 0x01, MapPrivate = 0x02, MapAnonymous = 0x20;
            var maps = calls.Where(c => c.Number == Nr.mmap).ToList();
            Assert.Contains(maps, c => SyscallHookPage.IsLogged(c) && c.Args[3] == (MapPrivate | MapAnonymous) && c.Result > 0);
            Assert.DoesNotContain(maps, c => SyscallHookPage.IsLogged(c) && (c.Args[3] & (MapShared | MapAnonymous)) != MapAnonymous);
            Assert.Contains(maps, c => !SyscallHookPage.IsLogged(c) && (c.Args[3] & MapShared) != 0);
            // Each process patched its own sites: the child's copy of the code is patched already.
            Assert.True(events.OfType<CodePatchEvent>().Count() >= 8, "fewer patches than the program has kinds of calls");
        }
    }

    [Fact]
    public async Task ReplayFromACheckpointAfterThePatchesRunsThePatchedCode()
    {
        using var dir = new TempDirectory("hooked-checkpoints");
        string trace = dir.File("hooked.rwd");
        var recorded = await ProcessRunner.RunAsync(RepoPaths.Rewind,
            ["record", "-o", trace, "--checkpoint-interval", "0.05", "--", fixture.Programs.PathOf(Scenarios.HookedSyscalls.Program)], dir.Path);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        using (var file = TraceFile.Open(trace))
        {
            var patches = file.Events(0).Where(e => e.Event is CodePatchEvent).Select(e => e.Index).ToList();
            var starts = file.Starts.ToList();
            Assert.True(starts.Count > 2 && starts[2].EventIndex > patches.Min(), $"checkpoints at {string.Join(", ", starts.Select(c => c.EventIndex))}, patches at {string.Join(", ", patches)}");
        }
        var replayed = await RewindCli.ReplayFromAsync(trace, 2, dir.Path);
        Assert.True(replayed.ExitCode == 0, replayed.ToString());
        Assert.EndsWith("child ended 0\n", replayed.Stdout);
    }
}
