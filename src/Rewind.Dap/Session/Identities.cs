namespace Rewind.Dap.Session;

// Strong ids of the seam. The DAP layer maps them to the small integers DAP wants.

/// <summary>A frame of a thread's stack at the current position: depth 0 is the innermost.</summary>
public readonly record struct FrameRef(Tid Thread, int Depth);

/// <summary>The engine's handle on a scope or an expandable value; valid until the next motion.</summary>
public readonly record struct VariablesRef(long Value);

/// <summary>A breakpoint's id, stable across the calls that set breakpoints.</summary>
public readonly record struct BreakpointId(int Value);

/// <summary>The engine's handle on a moment found by <see cref="IDebugSession.GetJumpTargets"/>.</summary>
public readonly record struct JumpTargetId(long Value);
