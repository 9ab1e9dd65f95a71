using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>Why a replayed process stopped.</summary>
public enum ReplayStopKind
{
    /// <summary>A recorded event was reproduced; the process is at the start of the next interval.</summary>
    Event,
    /// <summary>A breakpoint: the instruction at <see cref="ReplayStop.Address"/> is about to run.</summary>
    Breakpoint,
    /// <summary>One instruction ran.</summary>
    Step,
    /// <summary>A watched address was accessed by the instruction that just ran.</summary>
    Watchpoint,
    /// <summary>A recorded signal is about to be delivered (the next resume delivers it).</summary>
    Signal,
    /// <summary>The process ended as recorded.</summary>
    Exited,
    /// <summary>The trace ends here, before the process's end (a recording cut short).</summary>
    EndOfTrace,
    /// <summary>A signal from outside stopped the run (a debugger's pause); nothing of the program's happened.</summary>
    Interrupted,
}

/// <summary>A stop of a replayed process.</summary>
public sealed record ReplayStop(ReplayStopKind Kind, RemotePtr Address = default, int Signal = 0, ExitStatus? Exit = null, string? Note = null);
