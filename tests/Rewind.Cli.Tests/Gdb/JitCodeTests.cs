using System.Text.RegularExpressions;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>Breakpoints in code the program writes at run time (a JIT's), set before it exists.</summary>
[Collection("gdb")]
public sealed partial class JitCodeTests(GdbFixture fixture)
{
    [GdbFact]
    public void A_breakpoint_on_code_written_later_hits_every_call_forward_and_backward()
    {
        var jit = Debuggee.Build("jit_code", fixture.NewScratch());
        string trace = fixture.Record(jit.Binary, "jit_code.rwd");

        // At the start the code's memory is not mapped; the program writes the code twice.
        var t = GdbTranscript.Run(trace, jit.Binary,
        [
            "break *0x600000000000", "continue", "print $rdi", "continue", "print $rdi", "continue",
            "reverse-continue", "print $rdi", "reverse-continue", "print $rdi", "bt 2",
        ]);

        Assert.Contains("Breakpoint 1, 0x0000600000000000", t[1]);
        Assert.Equal("3", t.ValueOf(2));
        Assert.Contains("Breakpoint 1, 0x0000600000000000", t[3]);
        Assert.Equal("18", t.ValueOf(4));
        Assert.Contains("No more reverse-execution history", t[5]);
        Assert.Contains("Breakpoint 1, 0x0000600000000000", t[6]);
        Assert.Equal("18", t.ValueOf(7));
        Assert.Contains("Breakpoint 1, 0x0000600000000000", t[8]);
        Assert.Equal("3", t.ValueOf(9));
        Assert.Contains($"jit_code.c:{jit.Lines["first"]}", t[10]);
    }

    [GdbFact]
    public void A_breakpoint_on_code_set_while_its_memory_is_only_reserved_hits_every_call_forward_and_backward()
    {
        var jit = Debuggee.Build("jit_code", fixture.NewScratch());
        string trace = fixture.Record(jit.Binary, "jit_code.rwd");

        // Stopped where the code's memory is reserved (private, PROT_NONE) but not yet made
        // executable nor written: the program's mprotect and memcpy come after.
        var t = GdbTranscript.Run(trace, jit.Binary,
        [
            $"break jit_code.c:{jit.Lines["reserved"]}", "continue", "break *0x600000000000", "continue", "print $rdi", "continue", "print $rdi",
            "delete 1", "continue", "reverse-continue", "print $rdi", "reverse-continue", "print $rdi", "bt 2",
        ]);

        Assert.Contains($"jit_code.c:{jit.Lines["reserved"]}", t[1]);
        Assert.Contains("Breakpoint 2, 0x0000600000000000", t[3]);
        Assert.Equal("3", t.ValueOf(4));
        Assert.Contains("Breakpoint 2, 0x0000600000000000", t[5]);
        Assert.Equal("18", t.ValueOf(6));
        Assert.Contains("Breakpoint 2, 0x0000600000000000", t[9]);
        Assert.Equal("18", t.ValueOf(10));
        Assert.Contains("Breakpoint 2, 0x0000600000000000", t[11]);
        Assert.Equal("3", t.ValueOf(12));
        Assert.Contains($"jit_code.c:{jit.Lines["first"]}", t[13]);
    }

    [GdbFact]
    public void Breakpoints_on_code_in_a_shared_view_hit_every_call_back_while_the_program_maps_other_views_of_it()
    {
        var views = Debuggee.Build("code_views", fixture.NewScratch());
        string trace = fixture.Record(views.Binary, "code_views.rwd");

        // From the end, five breakpoints: four take the debug registers, the others (with the
        // present's own, which each window's run needs) int3s in the code's file, which replay
        // writes the recorded bytes of each new read-write view into.
        string[] breaks = [.. Enumerable.Range(0, 5).Select(i => $"break *0x{0x610000000000 + 16 * i:x}")];
        var t = GdbTranscript.Run(trace, views.Binary, ["continue", .. breaks, .. Enumerable.Repeat("reverse-continue", 10)]);

        // The last two rounds backward: the third called 0..4, the second 4..0.
        var hits = Enumerable.Range(1 + breaks.Length, 10).Select(i => BreakpointNumber().Match(t[i]) is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0);
        Assert.Equal([5, 4, 3, 2, 1, 1, 2, 3, 4, 5], hits);
    }

    [GeneratedRegex(@"Breakpoint (\d+), ")]
    private static partial Regex BreakpointNumber();
}
