using System.Text.RegularExpressions;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// gdb is told of threads that end, forward and backward: gdb 13 announces only its native
/// threads' exits, so the server prints gdb's "[Thread … exited]"; a client that asks for thread
/// events (QThreadEvents:1) gets gdbserver's w stop replies. Thread names follow /proc/…/comm writes.
/// </summary>
[Collection("gdb")]
public sealed partial class ThreadEventTests(GdbFixture fixture)
{
    private Debuggee Workers => fixture.Workers;

    [GdbFact]
    public void Continuing_over_a_workers_exit_says_it_exited_and_info_threads_drops_it()
    {
        var t = GdbTranscript.Run(fixture.WorkersTrace, Workers.Binary,
        [
            $"break workers.c:{Workers.Line("work-add")}", "continue", "delete 1", $"break workers.c:{Workers.Line("main-after")}", "continue", "info threads",
        ]);

        string worker = NewThread().Match(t[1]) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no new thread in:\n{t[1]}");
        Assert.Contains($"[Thread {worker} exited]", t[4]);
        Assert.DoesNotContain($"Thread {worker} ", t[5]);
        Assert.Matches(@"(?m)^\* 1\s+Thread .* ""workers""", t[5]);
    }

    [GdbFact]
    public void Going_back_before_a_workers_creation_says_it_exited()
    {
        var t = GdbTranscript.Run(fixture.WorkersTrace, Workers.Binary,
            [$"break workers.c:{Workers.Line("work-add")}", "continue", "reverse-continue", "info threads"]);

        string worker = NewThread().Match(t[1]).Groups[1].Value;
        Assert.Contains("No more reverse-execution history", t[2]);
        Assert.Contains($"[Thread {worker} exited]", t[2]);
        Assert.DoesNotContain($"Thread {worker} ", t[3]);
    }

    [GdbFact]
    public void With_thread_events_on_a_continue_over_an_exit_answers_w_first()
    {
        using var server = RawClient.StartServer(fixture.WorkersTrace);
        try
        {
            var client = new RawClient(server.StandardInput.BaseStream, server.StandardOutput.BaseStream);
            Assert.Contains("QThreadEvents+", client.Ask("qSupported:multiprocess+;QThreadEvents+"));
            Assert.Equal("OK", client.Ask("QStartNoAckMode"));
            Assert.Equal("OK", client.Ask("QThreadEvents:1"));
            string work = Address("work");
            Assert.Equal("OK", client.Ask($"Z0,{work},1"));
            var hit = StopThread().Match(client.Ask("vCont;c"));
            Assert.True(hit.Success, "the breakpoint in work stops a worker");
            Assert.Equal("OK", client.Ask($"z0,{work},1"));

            // The run to the end passes the exits of all four workers; the one the client knew comes
            // first as w, then, at the next resume, the run's own stop (the end of the recording).
            string exit = client.Ask("vCont;c");
            Assert.Equal($"w0;{hit.Groups[1].Value}", exit);
            Assert.Contains("replaylog:end", client.Ask("vCont;c"));
            Assert.Equal("OK", client.Ask("vKill;1"));
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
        }
    }

    [GdbFact]
    public void Names_written_to_proc_comm_name_the_thread()
    {
        var names = Debuggee.Build("names", fixture.NewScratch());
        string trace = fixture.Record(names.Binary, "names.rwd");
        var t = GdbTranscript.Run(trace, names.Binary,
        [
            $"break names.c:{names.Line("worker-named")}", $"break names.c:{names.Line("worker-renamed")}",
            "continue", "continue", "reverse-continue", "info threads",
        ]);

        Assert.Contains("\"named-by-main\" hit Breakpoint 1", t[2]);
        Assert.Contains("\"self-named\" hit Breakpoint 2", t[3]);
        Assert.Contains("\"named-by-main\" hit Breakpoint 1", t[4]);
        Assert.Matches(@"(?m)^\*\s+\d+\s+Thread .* ""named-by-main""", t[5]);
    }

    /// <summary>
    /// Where a function of workers is in the replay: its offset in the executable (nm), plus where
    /// the kernel loads a position-independent executable with address randomization off.
    /// </summary>
    private string Address(string function)
    {
        const ulong PieBase = 0x555555554000;
        var nm = ChildProcess.Run("nm", [Workers.Binary]);
        return Regex.Match(nm.Stdout, $@"(?m)^([0-9a-f]+) t {function}$") is { Success: true } m
            ? (PieBase + Convert.ToUInt64(m.Groups[1].Value, 16)).ToString("x")
            : throw new InvalidOperationException($"no {function} in nm's output");
    }

    [GeneratedRegex(@"\[New Thread (\d+\.\d+)\]")]
    private static partial Regex NewThread();

    [GeneratedRegex(@"^T05thread:(p[0-9a-f]+\.[0-9a-f]+);")]
    private static partial Regex StopThread();
}
