namespace Rewind.Cli.Tests.Gdb;

/// <summary>Recorded signals reach gdb by gdb's own numbers, so it names them right and its `handle` settings apply.</summary>
[Collection("gdb")]
public sealed class SignalTests(GdbFixture fixture)
{
    [GdbFact]
    public void SignalsShowByTheirNamesAndHandleNostopSkipsSigchld()
    {
        var signals = Debuggee.Build("signals", fixture.NewScratch());
        string trace = fixture.Record(signals.Binary, "signals.rwd");

        // gdb stops at SIGALRM only when asked (its default is nostop noprint).
        var t = GdbTranscript.Run(trace, signals.Binary,
            ["handle SIGCHLD nostop noprint", "handle SIGALRM stop print", "continue", "continue", "continue", "continue", "continue"]);

        Assert.Contains("Program received signal SIGUSR1", t[2]);
        Assert.Contains("Program received signal SIGALRM", t[3]);
        Assert.Contains("Program received signal SIGPIPE", t[4]);
        Assert.Contains("Program received signal SIG35", t[5]);
        Assert.DoesNotContain("SIGCHLD", string.Concat(t[2], t[3], t[4], t[5]));
        Assert.DoesNotContain("SIGSTOP", string.Concat(t[2], t[3], t[4], t[5], t[6]));
    }

    [GdbFact]
    public void BreakpointsAndStepsLeaveTheProgramsBlockedAndIgnoredSigtrapAlone()
    {
        var trapMask = Debuggee.Build("trap_mask", fixture.NewScratch());
        string trace = fixture.Record(trapMask.Binary, "trap_mask.rwd");

        var t = GdbTranscript.Run(trace, trapMask.Binary,
        [
            "break work", "continue", "stepi", "stepi", "continue", "next", "continue", "stepi",
            $"break trap_mask.c:{trapMask.Line("done")}", "continue", "print blocked_after", "print ignored_after",
        ]);

        Assert.Contains("Breakpoint 1, work (by=3)", t[6]);
        Assert.Equal("1", t.ValueOf(10));
        Assert.Equal("1", t.ValueOf(11));
    }
}
