namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// A trace is all a colleague needs: with the program deleted and no file given, gdb gets the
/// executable's name by qXfer:exec-file and its bytes, and the libraries', from the trace (vFile).
/// </summary>
[Collection("gdb")]
public sealed class TraceOnlyTests(GdbFixture fixture)
{
    [GdbFact]
    public void WithoutTheBinaryGdbReadsTheProgramAndLibrariesFromTheTrace()
    {
        string dir = fixture.NewScratch();
        string binary = Path.Combine(dir, "travel");
        File.Copy(fixture.Travel.Binary, binary);
        string trace = fixture.Record(binary, "alone.rwd", "3");
        File.Delete(binary);

        var t = GdbTranscript.Run(trace, null,
            ["set sysroot target:", "break square", "continue", "bt", "print v", "info sharedlibrary", "reverse-finish", "print by"]);

        Assert.Contains("Breakpoint 1, square (v=1)", t[2]);
        t.AssertLine(2, fixture.Travel.Line("square-body"));
        Assert.Contains("in bump (by=1)", t[3]);
        Assert.Contains("in main (", t[3]);
        Assert.Equal("1", t.ValueOf(4));
        Assert.Contains("target:", t[5]);
        Assert.Contains("libc.so.6", t[5]);
        t.AssertLine(6, fixture.Travel.Line("bump-square"));
        Assert.Equal("1", t.ValueOf(7));
    }
}
