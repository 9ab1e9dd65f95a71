namespace Rewind.Cli.Tests.Gdb;

/// <summary>History is read-only: gdb may read registers and memory at any stop, never change them.</summary>
[Collection("gdb")]
public sealed class ReadOnlyStateTests(GdbFixture fixture)
{
    [GdbFact]
    public void WritesToMemoryAndRegistersAreRefused()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, fixture.Travel.Binary,
            ["break bump", "continue", "continue", "print counter = 7", "set var $rax = 1", "print counter", "print by"]);

        Assert.Contains("Cannot access memory", t[3]);
        Assert.Contains("Could not write register", t[4]);
        Assert.Contains("a replay cannot change history", t[4]);
        Assert.Equal("1", t.ValueOf(5));
        Assert.Equal("2", t.ValueOf(6));
    }

    [GdbFact]
    public void MonitorCommandsShowAndMoveThePresent()
    {
        var t = GdbTranscript.Run(fixture.ExitsTrace, fixture.Travel.Binary,
            ["monitor help", "monitor when", "break bump", "continue", "monitor when", "monitor goto-event 0", "maint flush register-cache", "monitor when", "continue", "print by", "monitor goto-event x", "monitor nonsense"]);

        Assert.Contains("monitor goto-event N", t[0]);
        Assert.Matches(@"event 0 of [\d,]+ \(0\.0%\)", t[1]);
        Assert.Matches(@"event [1-9][\d,]* of [\d,]+ \([\d.]+%\), at 0x[0-9a-f]+ in the interval after it", t[4]);
        Assert.Contains("at event 0", t[5]);
        Assert.Matches(@"event 0 of", t[7]);
        Assert.Contains("Breakpoint 1, bump (by=1)", t[8]);
        Assert.Equal("1", t.ValueOf(9));
        Assert.Contains("usage: monitor goto-event N", t[10]);
        Assert.Contains("unknown monitor command 'nonsense'", t[11]);
    }
}
