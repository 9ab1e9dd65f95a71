namespace Rewind.Dap.Session;

/// <summary>
/// The seam between the DAP layer and the time-travel engine: one opened trace, seen from a
/// debugger. It speaks in domain terms (threads, frames, positions, addresses); it knows no
/// JSON and no DAP ids. The replay engine and the symbol readers implement it.
/// </summary>
/// <remarks>
/// Threading: the DAP server calls these members one at a time from its request loop. The
/// engine owns ptrace on its own thread (docs: DESIGN.md §8), so an implementation posts the
/// work there. Run-control members (<see cref="Start"/>, <see cref="Resume"/>,
/// <see cref="Step"/>, <see cref="GoToEvent"/>, …) only start the motion and return: the
/// stop is reported later through <see cref="IDebugEventSink.Stopped"/>, so that a
/// <see cref="Pause"/> can reach the engine meanwhile. Inspection members are valid while
/// stopped; the references they return (<see cref="VariablesRef"/>) die at the next motion.
/// Errors are <see cref="RewindException"/>s whose message is shown to the user as it is.
/// </remarks>
public interface IDebugSession : IDisposable
{
    // Run control -------------------------------------------------------------------------

    /// <summary>Moves to the start or the end of the trace once the client is configured; reports a stop.</summary>
    void Start(StartAt at);

    /// <summary>Runs forward or backward until a breakpoint, a signal or an end of the trace.</summary>
    void Resume(Direction direction);

    /// <summary>One step of a thread: into, over or out, by line or by instruction, either way in time.</summary>
    void Step(Tid thread, StepKind kind, Direction direction, StepGranularity granularity);

    /// <summary>Interrupts a running motion; the engine reports a stop with <see cref="StopReason.Pause"/>.</summary>
    void Pause();

    /// <summary>Jumps to the position just before the event with this index.</summary>
    void GoToEvent(long eventIndex);

    /// <summary>Jumps to a target found by <see cref="GetJumpTargets"/>.</summary>
    void GoTo(JumpTargetId target);

    // Position and timeline ---------------------------------------------------------------

    /// <summary>Where the replay stands now.</summary>
    TimelinePosition Position { get; }

    /// <summary>The trace's points of interest, at most <paramref name="maxEntries"/>, in event order.</summary>
    IReadOnlyList<TimelineEntry> GetTimeline(int maxEntries);

    /// <summary>The moments of the trace where this source line runs (for goto).</summary>
    IReadOnlyList<JumpTarget> GetJumpTargets(string sourcePath, int line);

    // State at the current position -------------------------------------------------------

    IReadOnlyList<ThreadInfo> GetThreads();

    /// <summary>The call stack of a thread, innermost first; <paramref name="count"/> 0 means all.</summary>
    StackInfo GetStack(Tid thread, int startFrame, int count);

    IReadOnlyList<ScopeInfo> GetScopes(FrameRef frame);

    /// <summary>The children of a scope or of an expandable value.</summary>
    IReadOnlyList<ValueInfo> GetVariables(VariablesRef container, int start, int count);

    /// <summary>Evaluates a C expression in a frame (or globally when <paramref name="frame"/> is null).</summary>
    ValueInfo Evaluate(string expression, FrameRef? frame, EvaluationContext context);

    /// <summary>The fatal signal that stopped the thread here, or null if it did not stop for one.</summary>
    SignalInfo? GetSignal(Tid thread);

    /// <summary>The .NET exception in flight on the thread at the current position, or null where none is (or the program is not .NET).</summary>
    ThrownException? GetException(Tid thread);

    /// <summary>Reads the tracee's memory at the current position; returns the count of bytes read.</summary>
    int ReadMemory(RemotePtr address, Span<byte> buffer);

    /// <summary>Disassembles <paramref name="count"/> instructions starting <paramref name="instructionOffset"/> instructions away from <paramref name="address"/>.</summary>
    IReadOnlyList<DisassembledLine> Disassemble(RemotePtr address, int instructionOffset, int count);

    // Breakpoints (each call replaces the whole set of its kind, as the DAP requests do) --------

    IReadOnlyList<BreakpointStatus> SetLineBreakpoints(string sourcePath, IReadOnlyList<LineBreakpointSpec> breakpoints);

    IReadOnlyList<BreakpointStatus> SetFunctionBreakpoints(IReadOnlyList<FunctionBreakpointSpec> breakpoints);

    IReadOnlyList<BreakpointStatus> SetInstructionBreakpoints(IReadOnlyList<InstructionBreakpointSpec> breakpoints);

    IReadOnlyList<BreakpointStatus> SetDataBreakpoints(IReadOnlyList<DataBreakpointSpec> breakpoints);

    /// <summary>
    /// Whether a data breakpoint can watch a variable (<paramref name="container"/> given) or
    /// an expression (evaluated in <paramref name="frame"/>), and under which id.
    /// </summary>
    DataBreakpointTarget GetDataBreakpointTarget(string name, VariablesRef? container, FrameRef? frame);
}
