namespace Rewind.Recording;

/// <summary>What to record and where.</summary>
/// <param name="Program">The program as the user named it; a name without a slash is looked up in PATH, as a shell does.</param>
/// <param name="Arguments">The arguments after the program.</param>
/// <param name="DetachStdio">Give the program /dev/null for stdin, stdout and stderr instead of ours (when ours is a protocol).</param>
public sealed record RecordOptions(
    string Program,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> Environment,
    string WorkingDirectory,
    string OutputPath,
    bool DetachStdio = false)
{
    /// <summary>Run time between two checkpoints persisted in the trace; zero keeps only the exec checkpoints.</summary>
    public TimeSpan CheckpointInterval { get; init; } = DefaultCheckpointInterval;

    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromSeconds(5);

    /// <summary>Record every process the program creates (fork, vfork, clone), not only the first: off, they run unrecorded and only their output to the program's stdout and stderr is kept.</summary>
    public bool RecordChildren { get; init; } = true;

    /// <summary>
    /// The CPU the program is shown where this machine can trap CPUID: <see cref="Cpu.CpuidTrap.Host"/>
    /// (its own, less what replay cannot reproduce) or <see cref="Cpu.CpuidTrap.Baseline"/>, which needs
    /// CPUID faulting. Without faulting the program reads the CPU itself (<see cref="Cpu.CpuidTrap.None"/>).
    /// </summary>
    public Cpu.CpuidTrap Cpu { get; init; } = Rewind.Cpu.CpuidTrap.Host;

    /// <summary>Finds the debug files the trace keeps beside the files the program maps; none are kept without one.</summary>
    public IDebugFileFinder? DebugFiles { get; init; }
}
