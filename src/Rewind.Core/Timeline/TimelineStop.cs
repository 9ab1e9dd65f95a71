using Rewind.Trace;

namespace Rewind.Timeline;

/// <summary>Why the timeline stopped where it did.</summary>
public enum StopReason
{
    /// <summary>Where a motion to an event, a percentage or a position arrived.</summary>
    Arrived,
    Breakpoint,
    Watchpoint,
    /// <summary>An instruction step, forward or backward.</summary>
    Step,
    /// <summary>A recorded signal is about to be delivered here.</summary>
    Signal,
    /// <summary>A backward motion reached the start of the trace.</summary>
    StartOfTrace,
    /// <summary>A forward motion reached the end of the trace: the process's exit, its death, or where a cut-short trace ends.</summary>
    EndOfTrace,
}

/// <summary>A stop of the timeline, and what a debugger shows about it.</summary>
/// <param name="Address">The breakpoint or watched address.</param>
/// <param name="Signal">The signal about to be delivered, for a Signal stop; the fatal signal at the end of a trace that ends in one.</param>
/// <param name="Exit">How the process ends, at the end of the trace.</param>
/// <param name="WrittenBy">For the last write found backward: the syscall event that wrote it, when it was the kernel.</param>
public sealed record TimelineStop(StopReason Reason, Position Position, RemotePtr Address = default, int Signal = 0, ExitStatus? Exit = null, string? Note = null, long? WrittenBy = null);
