namespace Rewind.Cli.Tests.Gdb;

/// <summary>Going back and forth between two moments must show exactly the same state every time.</summary>
[Collection("gdb")]
public sealed class RepeatedTravelTests(GdbFixture fixture)
{
    private const int Rounds = 8;

    private static readonly string[] State =
    [
        "info registers rip rsp rbp rax rbx rcx rdx rsi rdi r8 r9 r10 r11 r12 r13 r14 r15 fs_base",
        "output counter", "output total", "x/8gx $rsp", "bt",
    ];

    [GdbFact]
    public void ForwardAndBackBetweenTwoMomentsShowTheSameStateEachTime()
    {
        // A: bump(by=2) entered; B: square(v=2) entered. continue goes A→B, reverse-continue B→A.
        var commands = new List<string> { "break bump", "continue", "continue", "break square" };
        for (int i = 0; i < Rounds; i++)
        {
            commands.Add("continue");
            commands.AddRange(State);
            commands.Add("reverse-continue");
            commands.AddRange(State);
        }
        var t = GdbTranscript.Run(fixture.ExitsTrace, fixture.Travel.Binary, commands);

        int block = State.Length + 1;
        string AtB(int round) => string.Join("\n", Enumerable.Range(4 + round * 2 * block, block).Select(i => t[i]));
        string AtA(int round) => string.Join("\n", Enumerable.Range(4 + round * 2 * block + block, block).Select(i => t[i]));
        Assert.Contains("square (v=2)", AtB(0));
        Assert.Contains("bump (by=2)", AtA(0));
        Assert.NotEqual(AtA(0), AtB(0));
        for (int round = 1; round < Rounds; round++)
        {
            Assert.Equal(AtB(0), AtB(round));
            Assert.Equal(AtA(0), AtA(round));
        }
    }
}
