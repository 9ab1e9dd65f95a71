using System.Text.Json;
using Rewind.Trace;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>gdb on one process of a trace of several (gdbserver --pid): a child that crashed, seen from its own start.</summary>
[Collection("gdb")]
public sealed class ProcessDebuggingTests(GdbFixture fixture)
{
    [GdbFact]
    public void A_crashed_child_shows_its_backtrace_and_steps_back_in_it()
    {
        var forked = Debuggee.Build("forked_crash", fixture.NewScratch());
        string trace = fixture.Record(forked.Binary, "forked_crash.rwd");
        var ps = ChildProcess.Run(GdbEnvironment.Rewind, ["ps", "--json", trace]);
        int child = JsonDocument.Parse(ps.Stdout).RootElement[1].GetProperty("pid").GetInt32();

        var t = GdbTranscript.Run(trace, forked.Binary,
            ["info threads", "continue", "bt", "print total", "reverse-step", "reverse-step", "print total", "break work", "reverse-continue", "bt 1", "info inferiors"],
            pid: child);

        Assert.Contains($"Thread {child}.{child}", t[0]);
        Assert.Contains("Program received signal SIGSEGV", t[1]);
        Assert.Contains($"forked_crash.c:{forked.Lines["add_write"]}", t[1]);
        Assert.Matches(@"#1 .* work \(slots=.*n=3\)", t[2]);
        Assert.Contains($"main () at {forked.Source}:{forked.Lines["worker_work"]}", t[2]);
        Assert.Contains("$1 = 30", t[3]);
        Assert.Equal(forked.Lines["add_total"], t.LineAfter(5));
        Assert.Contains("$2 = 10", t[6]);
        Assert.Contains("Breakpoint 1, work", t[8]);
        Assert.Contains($"process {child}", t[10]);
    }

    [GdbFact]
    public void Going_back_in_a_child_shows_the_memory_it_shares_with_its_parent_as_it_was()
    {
        var forked = Debuggee.Build("forked_counter", fixture.NewScratch());
        string trace = fixture.Record(forked.Binary, "forked_counter.rwd");
        var ps = ChildProcess.Run(GdbEnvironment.Rewind, ["ps", "--json", trace]);
        int child = JsonDocument.Parse(ps.Stdout).RootElement[1].GetProperty("pid").GetInt32();

        // Each stop is a moment both processes live at: the replay keeps snapshots of both, whose
        // shared page must hold that moment's counter, not the live replay's later one.
        var t = GdbTranscript.Run(trace, forked.Binary,
            [$"break forked_counter.c:{forked.Lines["child_increment"]}", "continue", "print *counter", "continue", "continue", "continue", "print *counter",
             "reverse-continue", "print *counter", "reverse-continue", "reverse-continue", "print *counter", "continue", "print *counter"],
            pid: child);

        Assert.Contains("$1 = 1", t[2]);
        Assert.Contains("$2 = 7", t[6]);
        Assert.Contains("$3 = 5", t[8]);
        Assert.Contains("$4 = 1", t[11]);
        Assert.Contains("$5 = 3", t[13]);
    }

    [GdbFact]
    public void Going_back_far_in_a_child_restores_a_checkpoint_of_both_processes()
    {
        var forked = Debuggee.Build("forked_rounds", fixture.NewScratch());
        string trace = Path.Combine(Path.GetDirectoryName(forked.Binary)!, "forked_rounds.rwd");
        var recorded = ChildProcess.Run(GdbEnvironment.Rewind, ["record", "--checkpoint-interval", "0.02", "-o", trace, "--", forked.Binary]);
        Assert.Equal(0, recorded.ExitCode);
        using (var file = TraceFile.Open(trace))
        {
            Assert.Contains(file.Summary.Checkpoints, c => c.With != null);
        }
        string Saw(int round) => recorded.Stdout.Split('\n').Single(l => l.StartsWith($"c: round {round} saw ", StringComparison.Ordinal)).Split(' ')[^1];
        var ps = ChildProcess.Run(GdbEnvironment.Rewind, ["ps", "--json", trace]);
        int child = JsonDocument.Parse(ps.Stdout).RootElement[1].GetProperty("pid").GetInt32();

        // From round 1000 back to round 500, past checkpoints of both processes taken in between:
        // each hit shows the counter the child saw then, in the page it shares with its parent.
        var t = GdbTranscript.Run(trace, forked.Binary,
            [$"break forked_rounds.c:{forked.Lines["report"]}", "continue", "print seen", "ignore 1 9", "continue", "print seen",
             "reverse-continue", "reverse-continue", "reverse-continue", "reverse-continue", "reverse-continue", "print i", "print seen"],
            pid: child);

        Assert.Contains($"$1 = {Saw(0)}", t[2]);
        Assert.Contains($"$2 = {Saw(1000)}", t[5]);
        Assert.Contains("$3 = 500", t[11]);
        Assert.Contains($"$4 = {Saw(500)}", t[12]);
    }
}
