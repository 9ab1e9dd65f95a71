namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// gdb (its own DWARF reading, its own reverse-step logic) against `rewind gdbserver` on a
/// trace of travel.c: every motion must land on the source line and show the values a user
/// would expect of that moment of the recorded run.
/// </summary>
[Collection("gdb")]
public sealed class ReverseExecutionTests(GdbFixture fixture)
{
    private Debuggee Travel => fixture.Travel;

    [GdbFact]
    public void ReverseContinueGoesBackToThePreviousBreakpointHit()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, Travel.Binary,
            ["break bump", "continue", "continue", "continue", "print by", "reverse-continue", "print by", "print counter", "reverse-continue", "print by", "print counter"]);

        Assert.Contains("Breakpoint 1, bump (by=1)", t[1]);
        Assert.Contains("Breakpoint 1, bump (by=3)", t[3]);
        Assert.Equal("3", t.ValueOf(4));
        Assert.Contains("Breakpoint 1, bump (by=2)", t[5]);
        t.AssertLine(5, Travel.Line("bump-write"));
        Assert.Equal("2", t.ValueOf(6));
        Assert.Equal("1", t.ValueOf(7));
        Assert.Equal("1", t.ValueOf(9));
        Assert.Equal("0", t.ValueOf(10));
    }

    [GdbFact]
    public void GoingBackShowsAPrivateMappingOfAChangingFileAsItWasThen()
    {
        // The replay's snapshots map the file from copies of its stand-in, with the pages the
        // program wrote kept: the live replay's later pwrites must not show in them.
        var views = Debuggee.Build("file_views", fixture.NewScratch());
        string trace = fixture.Record(views.Binary, "file_views.rwd");
        var t = GdbTranscript.Run(trace, views.Binary,
            [$"break file_views.c:{views.Line("show")}", "continue", "continue", "continue", "continue", "print view[0]", "print view[4096]",
             "reverse-continue", "print view[0]", "print view[4096]", "reverse-continue", "reverse-continue", "print view[0]", "print view[4096]",
             "continue", "print view[0]", "print view[4096]"]);

        Assert.Equal("51 '3'", t.ValueOf(5));
        Assert.Equal("100 'd'", t.ValueOf(6));
        Assert.Equal("50 '2'", t.ValueOf(8));
        Assert.Equal("99 'c'", t.ValueOf(9));
        Assert.Equal("48 '0'", t.ValueOf(12));
        Assert.Equal("97 'a'", t.ValueOf(13));
        Assert.Equal("49 '1'", t.ValueOf(15));
        Assert.Equal("98 'b'", t.ValueOf(16));
    }

    [GdbFact]
    public void ReverseStepNextAndFinishLandOnTheLinesGdbExpects()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, Travel.Binary,
        [
            $"break travel.c:{Travel.Line("main-syscall")}", "continue", "continue",
            "reverse-step", // into bump, at its last line
            "reverse-step", // the line before: the call to square
            "reverse-step", // into square, at its closing brace
            "reverse-step",
            "reverse-finish", // back to the call in bump
            "reverse-next",
            "reverse-next",
            "print counter",
            "reverse-finish", // back to the call in main, inside its line
            "reverse-next", // to the start of that line
            "reverse-next", // the loop's line
            "next", "next", // forward again over bump()
        ]);

        Assert.Contains("bump (by=2)", t[3]);
        t.AssertLine(3, Travel.Line("bump-end"));
        t.AssertLine(4, Travel.Line("bump-square"));
        Assert.Contains("square (v=2)", t[5]);
        t.AssertLine(5, Travel.Line("square-return") + 1);
        t.AssertLine(6, Travel.Line("square-return"));
        Assert.Contains("in bump (by=2)", t[7]);
        t.AssertLine(7, Travel.Line("bump-square"));
        t.AssertLine(8, Travel.Line("bump-square"));
        t.AssertLine(9, Travel.Line("bump-write"));
        Assert.Equal("1", t.ValueOf(10));
        Assert.Contains("in main", t[11]);
        t.AssertLine(11, Travel.Line("main-bump"));
        t.AssertLine(12, Travel.Line("main-bump"));
        t.AssertLine(13, Travel.Line("main-loop"));
        t.AssertLine(14, Travel.Line("main-bump"));
        t.AssertLine(15, Travel.Line("main-syscall"));
    }

    [GdbFact]
    public void ReverseContinueWithAWatchStopsAtTheStatementThatLastWroteIt()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, Travel.Binary,
        [
            $"break travel.c:{Travel.Line("main-print")}", "continue", "watch -l counter",
            "reverse-continue", "print by", "print counter",
            "reverse-continue", "print by", "print counter",
            "continue", "print counter",
        ]);

        Assert.Contains("Old value = 15", t[3]);
        Assert.Contains("New value = 10", t[3]);
        t.AssertLine(3, Travel.Line("bump-write"));
        Assert.Equal("5", t.ValueOf(4));
        Assert.Equal("10", t.ValueOf(5));
        Assert.Contains("Old value = 10", t[6]);
        Assert.Contains("New value = 6", t[6]);
        t.AssertLine(6, Travel.Line("bump-write"));
        Assert.Equal("4", t.ValueOf(7));
        Assert.Equal("6", t.ValueOf(8));
        // Forward again: the same write, seen the other way.
        Assert.Contains("Old value = 6", t[9]);
        Assert.Contains("New value = 10", t[9]);
        Assert.Equal("10", t.ValueOf(10));
    }

    [GdbFact]
    public void ContinuingBackFromAWatchHitFindsTheWriteJustMade()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, Travel.Binary,
            ["break square", "continue", "delete", "watch -l total", "continue", "reverse-continue", "print total", "reverse-continue", "print total"]);

        Assert.Contains("Old value = 0", t[4]);
        Assert.Contains("New value = 1", t[4]);
        // The write that just happened is the first thing met backward.
        Assert.Contains("Old value = 1", t[5]);
        Assert.Contains("New value = 0", t[5]);
        t.AssertLine(5, Travel.Line("bump-square"));
        Assert.Equal("0", t.ValueOf(6));
        Assert.Contains("No more reverse-execution history", t[7]);
    }

    [GdbFact]
    public void StepiAndReverseStepiRetraceTheSameInstructions()
    {
        var commands = new List<string> { "break square", "continue" };
        for (int i = 0; i < 6; i++)
        {
            commands.AddRange(["stepi", "print/x $pc", "print/x $rsp"]);
        }
        for (int i = 0; i < 6; i++)
        {
            commands.AddRange(["reverse-stepi", "print/x $pc", "print/x $rsp"]);
        }
        var t = GdbTranscript.Run(fixture.ExitsTrace, Travel.Binary, commands);

        string Pc(int step) => t.ValueOf(2 + 3 * step + 1);
        string Sp(int step) => t.ValueOf(2 + 3 * step + 2);
        // After k steps forward and j back, the state is that of k - j steps forward.
        var forward = Enumerable.Range(0, 6).Select(i => (Pc(i), Sp(i))).ToList();
        var backward = Enumerable.Range(6, 6).Select(i => (Pc(i), Sp(i))).ToList();
        Assert.Equal(6, forward.Distinct().Count());
        Assert.Equal(forward.Take(5).Reverse(), backward.Take(5));
        Assert.Contains($"{Travel.Line("square-body")}\t", t[2 + 3 * 11]);
    }
}
