using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>
/// Killing `rewind replay` leaves no stopped process behind: every tracee carries
/// PTRACE_O_EXITKILL, so the kernel kills it when its tracer dies, whatever killed the tracer.
/// </summary>
public sealed class ReplayKillTests : IDisposable
{
    private readonly CheckpointProgram _program = new();

    [Theory]
    [InlineData(9)]  // SIGKILL: rewind runs no code of its own
    [InlineData(2)]  // SIGINT: as from ^C
    public void Killing_rewind_mid_replay_leaves_no_stopped_process(int signal)
    {
        string trace = Path.Combine(_program.Directory, $"long-{signal}.rwd");
        var (code, _, stderr) = _program.Rewind("record", "--checkpoint-interval", "0", "-o", trace, "--", _program.Binary, "20000", _program.DataFile, "0");
        Assert.True(code == 0, stderr);

        using var replay = _program.StartRewind("replay", trace);
        // Mid-replay: the program has printed a few thousand of its 20000 lines.
        string? line;
        while ((line = replay.StandardOutput.ReadLine()) != null && !line.StartsWith("step 3000 ", StringComparison.Ordinal))
        {
        }
        Assert.NotNull(line);
        var tracees = ProcessTable.Descendants(replay.Id);
        Assert.NotEmpty(tracees);
        Assert.Equal(0, ProcessTable.Kill(replay.Id, signal));
        replay.StandardOutput.ReadToEnd();
        replay.WaitForExit();

        var left = ProcessTable.LeftBehind(tracees);
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left.Select(p => $"{p.Pid} ({p.State})"))}");
    }

    public void Dispose() => _program.Dispose();
}
