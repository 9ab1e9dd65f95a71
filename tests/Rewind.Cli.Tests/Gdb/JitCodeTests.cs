namespace Rewind.Cli.Tests.Gdb;

/// <summary>Breakpoints in code the program writes at run time (a JIT's), set before it exists.</summary>
[Collection("gdb")]
public sealed class JitCodeTests(GdbFixture fixture)
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
}
