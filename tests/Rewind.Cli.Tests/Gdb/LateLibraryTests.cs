namespace Rewind.Cli.Tests.Gdb;

/// <summary>Breakpoints in code that is mapped later than the moment a backward search starts from.</summary>
[Collection("gdb")]
public sealed class LateLibraryTests(GdbFixture fixture)
{
    [GdbFact]
    public void A_breakpoint_in_a_library_loaded_later_is_found_going_back_to_its_first_hit()
    {
        var late = Debuggee.Build("late_library", fixture.NewScratch());
        string trace = fixture.Record(late.Binary, "late_library.rwd");

        // The search backward replays from before the dlopen, where libm has no memory yet.
        var t = GdbTranscript.Run(trace, late.Binary,
            [$"break late_library.c:{late.Lines["second"]}", "continue", "break sqrt", "reverse-continue", "bt 2", "reverse-continue"]);

        Assert.Contains("Breakpoint 2", t[3]);
        Assert.Contains($"main () at {late.Source}:{late.Lines["first"]}", t[4]);
        Assert.DoesNotContain("Breakpoint 2", t[5]);
    }
}
