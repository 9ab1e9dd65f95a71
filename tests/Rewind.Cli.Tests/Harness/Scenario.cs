namespace Rewind.Cli.Tests.Harness;

/// <summary>One run of a test program: its arguments, the inputs it needs and what it should do natively.</summary>
/// <param name="Program">the name of tests/programs/NAME.c.</param>
internal sealed record Scenario(string Program)
{
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Creates the program's input files in the (empty) directory it will run in.</summary>
    public Action<string>? Setup { get; init; }

    /// <summary>Bytes fed to stdin natively and while recording; replay gets a closed stdin.</summary>
    public byte[]? Stdin { get; init; }

    /// <summary>The exit status of a native run (128 + signal number for a signal).</summary>
    public int ExpectedExit { get; init; }

    /// <summary>
    /// Replay in the recording's directory (its binary deleted) instead of an empty one: for
    /// programs that write files, so that a replay re-executing a write would show.
    /// </summary>
    public bool ReplayInRecordingDirectory { get; init; }

    /// <summary>
    /// The program signals its whole process group: natively and under record it runs in a session
    /// of its own (setsid), where that cannot reach the test run.
    /// </summary>
    public bool OwnSession { get; init; }

    /// <summary>
    /// A program of tests/programs and its arguments, put before the native run and before
    /// <c>rewind record</c>, which it execs: to start them with what a parent leaves them (a signal mask).
    /// </summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>Runs on the replay's working directory just before replay, e.g. to undo what the recording did.</summary>
    public Action<string>? BeforeReplay { get; init; }

    public override string ToString() => Program;
}
