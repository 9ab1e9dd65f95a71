using Rewind.Symbols.Dwarf;
using Rewind.Symbols.Unwinding;

namespace Rewind.Symbols;

/// <summary>
/// One frame of a backtrace, as a debugger shows it: a machine frame, or a call inlined into
/// one (several frames then share a pc, a CFA and registers).
/// </summary>
public sealed class StackFrame
{
    internal StackFrame(int index, PhysicalFrame physical, string functionName, Function? function, SourceLine? line,
        bool isInline, Die? scope, List<Die> blocks, ulong lookupPc)
    {
        Index = index;
        Physical = physical;
        FunctionName = functionName;
        Function = function;
        Line = line;
        IsInline = isInline;
        Scope = scope;
        Blocks = blocks;
        LookupPc = lookupPc;
    }

    public int Index { get; }

    public RemotePtr Pc => new(Physical.Registers.Pc ?? 0);

    /// <summary>Canonical frame address (the caller's stack pointer before the call), when known.</summary>
    public RemotePtr? Cfa => Physical.Cfa is { } c ? new RemotePtr(c) : null;

    public Module? Module => Physical.Module;

    /// <summary>The function's name, "&lt;signal handler called&gt;" for a signal trampoline, "??" when unknown.</summary>
    public string FunctionName { get; }

    public Function? Function { get; }

    /// <summary>The source position shown for this frame (for a caller: the call; for an inlined call's caller: the call site).</summary>
    public SourceLine? Line { get; }

    public bool IsInline { get; }

    public bool IsSignalTrampoline => Physical.IsSignalTrampoline;

    /// <summary>The registers of this frame; unknown ones are null.</summary>
    public FrameRegisters Registers => Physical.Registers;

    /// <summary>True when the pc is the exact location (frame 0, or interrupted by a signal) rather than a return address.</summary>
    public bool PcIsExact => Physical.PcIsExact;

    internal PhysicalFrame Physical { get; }

    /// <summary>The subprogram or inlined-subroutine DIE of this frame.</summary>
    internal Die? Scope { get; }

    /// <summary>Lexical blocks inside <see cref="Scope"/> that cover the pc, outermost first.</summary>
    internal List<Die> Blocks { get; }

    /// <summary>Unrelocated pc used for lookups (pc - 1 in callers).</summary>
    internal ulong LookupPc { get; }

    public override string ToString() =>
        $"#{Index} {FunctionName}{(Line is null ? "" : $" at {Line.FileName}:{Line.Line}")}";
}
