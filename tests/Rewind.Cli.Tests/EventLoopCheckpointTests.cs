using Rewind.Cli.Tests.Harness;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// An event loop spends its time in waits that an interrupt ends with -EINTR (epoll_wait,
/// epoll_pwait, epoll_pwait2, sigtimedwait): checkpoints fall due there, are taken in the wait,
/// and the wait goes on with the time it had left (tests/programs/epoll_loop.c), so the program
/// sees neither EINTR nor a wait cut short.
/// </summary>
public sealed class EventLoopCheckpointTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task Checkpoints_are_taken_in_waits_an_interrupt_ends_and_replay_from_there()
    {
        using var dir = new TempDirectory("epoll");
        string trace = dir.File("epoll.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.EpollLoop.Program), trace, dir.Path, interval: "0.05");
        foreach (string line in new[] { "the timer fired", "the pipe stayed quiet for the whole timeout", "epoll_pwait2 waited the whole timeout", "sigtimedwait waited the whole timeout" })
            Assert.Equal(3, recorded.StdoutLines.Count(l => l.EndsWith(": " + line, StringComparison.Ordinal)));

        using var file = TraceFile.Open(trace);
        var entered = file.Events().Where(e => e.Event is SyscallEntryEvent { Number: Nr.epoll_wait or Nr.epoll_pwait or Nr.epoll_pwait2 or Nr.rt_sigtimedwait })
            .ToDictionary(e => e.Index, e => ((SyscallEntryEvent)e.Event).Number);
        var inWaits = file.Starts.Where(c => entered.ContainsKey(c.EventIndex - 1)).ToList();
        // The timespec waits each get at least one of the checkpoints that fall due every 50 ms of their 3 × 150 ms.
        Assert.True(inWaits.Count >= 4, $"{inWaits.Count} checkpoints taken in a wait of {file.Summary.Checkpoints.Count}");
        Assert.Contains(inWaits, c => entered[c.EventIndex - 1] == Nr.epoll_pwait2);
        Assert.Contains(inWaits, c => entered[c.EventIndex - 1] == Nr.rt_sigtimedwait);
        await CheckpointReplay.AssertReplaysFromSpreadAsync(trace, file, inWaits, dir.Path, recorded);
    }
}
