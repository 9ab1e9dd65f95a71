using Rewind.Trace;

namespace Rewind.Cli.Tests.Harness;

/// <summary>A replay from a checkpoint against the trace's own record of what came after it.</summary>
internal static class CheckpointReplay
{
    /// <summary>
    /// <c>rewind record --checkpoint-interval INTERVAL -o TRACE -- PROGRAM ARGS</c> in
    /// <paramref name="directory"/>, expecting the program's exit status <paramref name="exit"/>.
    /// </summary>
    public static async Task<ProcessResult> RecordAsync(string program, string trace, string directory, string interval = "0.02", int exit = 0, IReadOnlyList<string>? args = null)
    {
        ProcessResult recorded = await ProcessRunner.RunAsync(RepoPaths.Rewind, ["record", "--checkpoint-interval", interval, "-o", trace, "--", program, .. args ?? []], directory);
        Expect.SameExit("the recorded run", exit, recorded, recorded);
        return recorded;
    }

    /// <summary>Those of <paramref name="starts"/> that are checkpoints of a moment of two processes.</summary>
    public static IEnumerable<CheckpointSummary> OfTwoProcesses(TraceFile file, IEnumerable<CheckpointSummary> starts) =>
        starts.Where(c => file.CheckpointLayout(c.Index).Moment is { Count: 2 });

    /// <summary>What the program wrote to its stdout after event <paramref name="eventIndex"/>, every process of it, in order.</summary>
    public static string StdoutAfter(TraceFile file, long eventIndex) =>
        string.Concat(file.Events(eventIndex).Select(e => e.Event).OfType<SyscallEvent>()
            .Where(s => s.Output is { Fd: 1 }).Select(s => System.Text.Encoding.UTF8.GetString(s.Output!.Data)));

    /// <summary>
    /// Replays <paramref name="trace"/> from checkpoint <paramref name="start"/> and expects exactly
    /// <paramref name="after"/> on stdout (<see cref="StdoutAfter"/>) and exit status 0.
    /// </summary>
    public static async Task AssertReplaysAsync(string trace, CheckpointSummary start, string after, string directory, ProcessResult recorded)
    {
        ProcessResult replayed = await RewindCli.ReplayFromAsync(trace, start.Index, directory);
        Expect.SameExit($"replay from checkpoint {start.Index}", 0, recorded, replayed);
        Expect.SameText($"replay from checkpoint {start.Index}", after, replayed.Stdout, recorded, replayed);
    }

    /// <summary>
    /// Replays from the first, the middle and the last of <paramref name="starts"/> (each once),
    /// each expecting what the trace has on stdout after it (<see cref="AssertReplaysAsync"/>),
    /// which must hold <paramref name="mustShow"/> where given.
    /// </summary>
    public static async Task AssertReplaysFromSpreadAsync(string trace, TraceFile file, IReadOnlyList<CheckpointSummary> starts, string directory, ProcessResult recorded, string? mustShow = null)
    {
        foreach (var start in new[] { starts[0], starts[starts.Count / 2], starts[^1] }.Distinct())
        {
            string after = StdoutAfter(file, start.EventIndex);
            if (mustShow != null)
            {
                Assert.Contains(mustShow, after, StringComparison.Ordinal);
            }
            await AssertReplaysAsync(trace, start, after, directory, recorded);
        }
    }
}
