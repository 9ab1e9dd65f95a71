namespace Rewind.Cli.Tests.Harness;

/// <summary>What a user sees of a finished process: its exit status and both output streams.</summary>
/// <remarks>A process killed by a signal reports 128 + the signal number, like a shell.</remarks>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => SplitLines(Stdout);

    public string[] StderrLines => SplitLines(Stderr);

    public static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    /// <summary>Everything about the run, for assertion messages.</summary>
    public override string ToString() =>
        $"$ {CommandLine}\nexit status: {ExitCode}\n--- stdout ---\n{Clip(Stdout)}\n--- stderr ---\n{Clip(Stderr)}";

    private static string Clip(string text) => text.Length <= 4000 ? text : text[..4000] + "\n[...]";
}
