namespace Rewind.Trace;

/// <summary>How a process ended: an exit code, or the signal that killed it.</summary>
public readonly record struct ExitStatus(int Code, int Signal, bool CoreDumped)
{
    /// <summary>The status waitpid reported for a process that ended.</summary>
    public static ExitStatus Of(Linux.WaitStatus status) => new(status.Exited ? status.ExitCode : 0, status.Signaled ? status.TermSignal : 0, status.CoreDumped);

    /// <summary>The status a shell reports: the code, or 128 plus the signal.</summary>
    public int ShellCode => Signal != 0 ? 128 + Signal : Code;

    public override string ToString() => Signal != 0 ? $"killed by {Linux.Signal.Name(Signal)}" : $"exit {Code}";
}
