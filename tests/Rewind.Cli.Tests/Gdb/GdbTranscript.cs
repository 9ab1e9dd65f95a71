using System.Text.RegularExpressions;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>
/// What gdb printed for each command of a batch run, cut at the markers <see cref="Run"/> echoes
/// between commands, so a test asserts command by command what a user would have seen.
/// </summary>
internal sealed partial class GdbTranscript
{
    private const string Separator = "@@rewind-test@@";

    private GdbTranscript(IReadOnlyList<string> commands, IReadOnlyList<string> outputs, string full)
    {
        Commands = commands;
        Outputs = outputs;
        Full = full;
    }

    public IReadOnlyList<string> Commands { get; }

    /// <summary>The output of each command, in order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    public string Full { get; }

    public string this[int command] => Outputs[command];

    /// <summary>
    /// Runs gdb in batch mode against `rewind gdbserver TRACE` over a pipe, then <paramref name="commands"/>.
    /// <paramref name="binary"/> null: gdb gets the program from the trace (qXfer:exec-file and vFile).
    /// <paramref name="pid"/>: the process of the trace to debug (gdbserver --pid).
    /// </summary>
    public static GdbTranscript Run(string trace, string? binary, IReadOnlyList<string> commands, int? pid = null)
    {
        string server = pid is { } p ? $"gdbserver --pid {p} {trace}" : $"gdbserver {trace}";
        var args = new List<string> { GdbEnvironment.GdbPath!, "-q", "-batch", "-nx",
            "-ex", "set debuginfod enabled off", "-ex", "set width 0", "-ex", "set confirm off",
            "-ex", $"target remote | {GdbEnvironment.Rewind} {server}", "-ex", $"echo {Separator}\\n" };
        foreach (string c in commands)
        {
            args.Add("-ex");
            args.Add(c);
            args.Add("-ex");
            args.Add($"echo {Separator}\\n");
        }
        if (binary != null)
        {
            args.Add(binary);
        }
        // One stream for gdb's output and errors, in the order gdb wrote them.
        var result = ChildProcess.Run("/bin/sh", ["-c", "exec \"$0\" \"$@\" 2>&1", .. args]);
        var parts = result.Stdout.Split(Separator + "\n");
        if (parts.Length < commands.Count + 2)
        {
            throw new InvalidOperationException($"gdb stopped early (exit {result.ExitCode}):\n{result.Stdout}");
        }
        return new GdbTranscript(commands, parts[1..(commands.Count + 1)], result.Stdout);
    }

    /// <summary>The last source line gdb showed in the output of <paramref name="command"/> (a frame's line or a listing).</summary>
    public int? LineAfter(int command)
    {
        var matches = SourceLine().Matches(Outputs[command]);
        return matches.Count == 0 ? null : int.Parse(matches[^1].Groups[1].Value);
    }

    /// <summary>Asserts that <paramref name="command"/> left gdb showing source line <paramref name="line"/>; the message shows what gdb printed.</summary>
    public void AssertLine(int command, int line) =>
        Assert.True(LineAfter(command) == line, $"'{Commands[command]}' should show line {line}, gdb printed:\n{Outputs[command]}");

    /// <summary>gdb's "$N = VALUE" for a print command, VALUE only.</summary>
    public string ValueOf(int command)
    {
        var m = PrintedValue().Match(Outputs[command]);
        return m.Success ? m.Groups[1].Value.Trim() : throw new InvalidOperationException($"'{Commands[command]}' printed no value: {Outputs[command]}");
    }

    public override string ToString() => Full;

    // "20\t    counter += by;" or "0x0000555555555194\t20\t…" (a pc inside the line).
    [GeneratedRegex(@"(?m)^(?:0x[0-9a-f]+\t)?(\d+)\t")]
    private static partial Regex SourceLine();

    [GeneratedRegex(@"(?m)^\$\d+ = (.*)$")]
    private static partial Regex PrintedValue();
}
