namespace Rewind.Cli.Tests.Gdb;

/// <summary>The end of a recording is a place to stand and leave backward: the crash or the exit.</summary>
[Collection("gdb")]
public sealed class EndOfTraceTests(GdbFixture fixture)
{
    private Debuggee Travel => fixture.Travel;

    [GdbFact]
    public void TheFatalSignalIsAStopAndSteppingBackReachesTheFaultingFunction()
    {
        var t = GdbTranscript.Run(fixture.CrashesTrace, Travel.Binary,
        [
            "continue", "bt", "continue", "reverse-stepi", "bt 1", "reverse-step", "print counter", "reverse-step", "continue",
        ]);

        Assert.Contains("Program received signal SIGSEGV, Segmentation fault.", t[0]);
        Assert.Contains("in crash (where=0x0)", t[0]);
        t.AssertLine(0, Travel.Line("crash-write"));
        Assert.Contains("main (", t[1]);
        // The process never ends under gdb: at the crash, forward is the end of history.
        Assert.Contains("No more reverse-execution history", t[2]);
        Assert.Contains("in crash", t[2]);
        Assert.Contains("#0  0x", t[4]);
        Assert.Contains("in crash (where=0x0)", t[4]);
        t.AssertLine(3, Travel.Line("crash-write"));
        Assert.Contains($"travel.c:{Travel.Line("crash-write")}", t[4]);
        Assert.Equal("15", t.ValueOf(6));
        // Back out of crash(), to its call.
        Assert.Contains("main (", t[7]);
        t.AssertLine(7, Travel.Line("main-crash"));
        Assert.Contains("Program received signal SIGSEGV", t[8]);
    }

    [GdbFact]
    public void TheExitIsTheEndOfHistoryAndReverseContinueLeavesIt()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, Travel.Binary,
            ["continue", "continue", "break bump", "reverse-continue", "print by", "print counter", "info registers rip"]);

        Assert.Contains("No more reverse-execution history", t[0]);
        Assert.DoesNotContain("exited", t[0]);
        Assert.Contains("No more reverse-execution history", t[1]);
        Assert.Contains("Breakpoint 1, bump (by=5)", t[3]);
        Assert.Equal("5", t.ValueOf(4));
        Assert.Equal("10", t.ValueOf(5));
    }

    [GdbFact]
    public void TheStartIsTheBeginningOfHistory()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, Travel.Binary, ["reverse-stepi", "break bump", "continue", "reverse-continue"]);

        Assert.Contains("No more reverse-execution history", t[0]);
        Assert.Contains("Breakpoint 1, bump (by=1)", t[2]);
        Assert.Contains("No more reverse-execution history", t[3]);
    }
}
