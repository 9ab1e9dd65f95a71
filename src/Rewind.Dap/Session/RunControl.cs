namespace Rewind.Dap.Session;

// The vocabulary of run control: where to start, which way to go, how far to step, why we stopped.

public enum Direction
{
    Forward,
    Backward,
}

public enum StepKind
{
    Into,
    Over,
    Out,
}

public enum StepGranularity
{
    Line,
    Statement,
    Instruction,
}

/// <summary>Where a session starts: <see cref="Auto"/> is the end when the recording ended in a crash, else the beginning.</summary>
public enum StartAt
{
    Auto,
    Beginning,
    End,
}

public enum StopReason
{
    /// <summary>At the start position chosen by <see cref="IDebugSession.Start"/>.</summary>
    Entry,
    Step,
    Breakpoint,
    FunctionBreakpoint,
    DataBreakpoint,
    InstructionBreakpoint,
    /// <summary>A fatal signal (the crash the trace ends with); details from <see cref="IDebugSession.GetSignal"/>.</summary>
    Signal,
    Pause,
    /// <summary>After a jump in time (goto, go to event).</summary>
    Goto,
    /// <summary>A backward motion reached the beginning of the trace.</summary>
    StartOfTrace,
    /// <summary>A forward motion reached the end of the trace.</summary>
    EndOfTrace,
}

/// <summary>A stop: why, in which thread, and where in the trace (so the client needs no round trip to ask).</summary>
public sealed record StopInfo(
    StopReason Reason,
    Tid Thread,
    TimelinePosition Position,
    string? Description = null,
    IReadOnlyList<BreakpointId>? HitBreakpoints = null);

public enum OutputKind
{
    /// <summary>The program's standard output, as recorded.</summary>
    Stdout,
    /// <summary>The program's standard error, as recorded.</summary>
    Stderr,
    /// <summary>Messages from Rewind itself and logpoints.</summary>
    Console,
}

public enum EvaluationContext
{
    Watch,
    Hover,
    Repl,
    Variables,
    Clipboard,
}
