using System.Text.RegularExpressions;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// gdb on a threaded trace (workers.c): every thread listed with its name, each stop naming
/// the thread that made it, forward and backward, and any thread's registers and stack.
/// </summary>
[Collection("gdb")]
public sealed partial class ThreadDebuggingTests(GdbFixture fixture)
{
    private Debuggee Workers => fixture.Workers;

    [GdbFact]
    public void A_breakpoint_hit_by_every_worker_names_each_thread_forward_and_backward()
    {
        var t = GdbTranscript.Run(fixture.WorkersTrace, Workers.Binary,
            [$"break workers.c:{Workers.Line("work-add")}", "continue", "continue", "continue", "continue", "reverse-continue", "reverse-continue", "reverse-continue"]);

        string[] forward = [.. Enumerable.Range(1, 4).Select(i => HitBy(t[i]))];
        Assert.Equal(4, forward.Distinct().Count());
        Assert.All(forward, name => Assert.Matches("^worker-[1-4]$", name));
        // Backward through the same hits, last first.
        Assert.Equal(forward[..3].Reverse(), Enumerable.Range(5, 3).Select(i => HitBy(t[i])));
    }

    [GdbFact]
    public void Info_threads_counts_the_threads_alive_before_during_and_after_the_workers()
    {
        var t = GdbTranscript.Run(fixture.WorkersTrace, Workers.Binary,
        [
            $"break workers.c:{Workers.Line("main-before")}", $"break workers.c:{Workers.Line("work-add")}", $"break workers.c:{Workers.Line("main-after")}",
            "continue", "info threads", "continue", "info threads", "delete 2", "continue", "info threads",
        ]);

        Assert.Single(ThreadRows(t[4]));
        var during = ThreadRows(t[6]);
        Assert.True(during.Count >= 2, $"while a worker runs, main and the worker are alive:\n{t[6]}");
        Assert.Contains(during, row => row.Contains("\"worker-", StringComparison.Ordinal) && row.StartsWith('*'));
        Assert.Contains(during, row => row.Contains("\"workers\"", StringComparison.Ordinal));
        Assert.Single(ThreadRows(t[9]));
    }

    [GdbFact]
    public void A_watch_going_backward_stops_in_the_thread_that_last_wrote()
    {
        var t = GdbTranscript.Run(fixture.WorkersTrace, Workers.Binary,
            [$"break workers.c:{Workers.Line("main-after")}", "continue", "watch -l shared_counter", "reverse-continue", "print id", "info threads"]);

        Assert.Contains("Old value = 10", t[3]);
        int id = int.Parse(t.ValueOf(4));
        Assert.Contains($"New value = {10 - id}", t[3]);
        Assert.Equal($"worker-{id}", WatchedBy(t[3]));
        Assert.Contains(ThreadRows(t[5]), row => row.StartsWith('*') && row.Contains($"\"worker-{id}\"", StringComparison.Ordinal));
    }

    [GdbFact]
    public void A_crash_in_a_worker_shows_its_stack_and_main_waiting_in_its_join()
    {
        var t = GdbTranscript.Run(fixture.WorkersCrashTrace, Workers.Binary, ["continue", "bt", "thread 1", "bt", "thread apply all bt"]);

        Assert.Contains("\"worker-3\" received signal SIGSEGV", t[0]);
        t.AssertLine(0, Workers.Line("work-crash"));
        Assert.Contains("work (arg=0x3)", t[1]);
        Assert.Contains("pthread_clockjoin_ex", t[3]);
        Assert.Contains("main (", t[3]);
        Assert.Contains($"workers.c:{Workers.Line("main-join")}", t[3]);
        Assert.Contains("\"worker-3\"", t[4]);
        Assert.Contains("\"workers\"", t[4]);
    }

    [GdbFact]
    public void Another_thread_steps_back_from_where_it_last_ran()
    {
        var t = GdbTranscript.Run(fixture.WorkersTrace, Workers.Binary,
            // gdb names the thread it steps (Hc) only when it resumes that thread alone.
            [$"break workers.c:{Workers.Line("work-add")}", "continue", "continue", "monitor when", "set scheduler-locking step", "thread 1", "reverse-stepi", "info threads", "monitor when"]);

        Assert.Matches(@"(?m)^\* 1\s+Thread .* ""workers""", t[7]);
        Assert.True(EventOf(t[8]) < EventOf(t[3]), $"the step back went back in time:\n{t[3]}\n{t[8]}");
    }

    /// <summary>The event index in the answer of monitor when ("event N of M …").</summary>
    private static long EventOf(string output) =>
        Regex.Match(output, @"event ([\d,]+)") is { Success: true } m ? long.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal)) : throw new InvalidOperationException($"no event in:\n{output}");

    /// <summary>The thread name in gdb's "Thread N "NAME" hit Breakpoint …".</summary>
    private static string HitBy(string output) =>
        HitLine().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no breakpoint hit in:\n{output}");

    private static string WatchedBy(string output) =>
        WatchLine().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no watchpoint hit in:\n{output}");

    /// <summary>The rows of an info threads table (the header left out).</summary>
    private static List<string> ThreadRows(string output) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => ThreadRow().IsMatch(l))];

    [GeneratedRegex("Thread \\d+ \"([^\"]+)\" hit Breakpoint")]
    private static partial Regex HitLine();

    [GeneratedRegex("Thread \\d+ \"([^\"]+)\" hit Hardware watchpoint")]
    private static partial Regex WatchLine();

    [GeneratedRegex(@"^\*?\s*\d+\s+Thread ")]
    private static partial Regex ThreadRow();
}
