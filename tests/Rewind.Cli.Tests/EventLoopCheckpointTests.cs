using Rewind.Cli.Tests.Harness;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// An event loop spends its time in epoll waits, which an interrupt ends with -EINTR: checkpoints
/// fall due there, are taken in the wait, and the wait goes on with the time it had left
/// (tests/programs/epoll_loop.c), so the program sees neither EINTR nor a wait cut short.
/// </summary>
public sealed class EventLoopCheckpointTests(ProgramsFixture fixture) : IClassFixture<ProgramsFixture>
{
    [Fact]
    public async Task Checkpoints_are_taken_in_epoll_waits_and_replay_from_there()
    {
        using var dir = new TempDirectory("epoll");
        string trace = dir.File("epoll.rwd");
        ProcessResult recorded = await CheckpointReplay.RecordAsync(fixture.Programs.PathOf(Scenarios.EpollLoop.Program), trace, dir.Path, interval: "0.05");
        Assert.Equal(4, recorded.StdoutLines.Count(l => l.EndsWith(": the timer fired", StringComparison.Ordinal)));
        Assert.Equal(4, recorded.StdoutLines.Count(l => l.EndsWith(": the pipe stayed quiet for the whole timeout", StringComparison.Ordinal)));

        using var file = TraceFile.Open(trace);
        var entered = file.Events().Where(e => e.Event is SyscallEntryEvent { Number: Nr.epoll_wait or Nr.epoll_pwait }).Select(e => e.Index).ToHashSet();
        var inWaits = file.Starts.Where(c => entered.Contains(c.EventIndex - 1)).ToList();
        Assert.True(inWaits.Count >= 4, $"{inWaits.Count} checkpoints taken in an epoll wait of {file.Summary.Checkpoints.Count}");
        foreach (var start in new[] { inWaits[0], inWaits[inWaits.Count / 2], inWaits[^1] }.Distinct())
            await CheckpointReplay.AssertReplaysAsync(trace, start, CheckpointReplay.StdoutAfter(file, start.EventIndex), dir.Path, recorded);
    }
}
