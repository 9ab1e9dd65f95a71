namespace Rewind.Dap.Session;

// What the engine reports about the state at the current position.

public sealed record SourceLocation(string Path, int Line, int Column = 1, int? EndLine = null, int? EndColumn = null);

public sealed record ThreadInfo(Tid Id, string Name);

public sealed record FrameInfo(string Name, RemotePtr Pc, SourceLocation? Location = null, string? Module = null);

public sealed record StackInfo(IReadOnlyList<FrameInfo> Frames, int TotalFrames);

public enum ScopeKind
{
    Arguments,
    Locals,
    Registers,
    Globals,
}

public sealed record ScopeInfo(string Name, ScopeKind Kind, VariablesRef Variables, bool Expensive = false, int? NamedVariables = null);

/// <summary>
/// A named value, rendered as C: a variable, a register, an evaluated expression.
/// <c>Children</c> is set where it expands (struct, array, pointer); <c>Address</c> where it lives in memory.
/// </summary>
public sealed record ValueInfo(
    string Name,
    string Value,
    string? Type = null,
    VariablesRef? Children = null,
    RemotePtr? Address = null,
    string? EvaluateName = null,
    int? NamedChildren = null,
    int? IndexedChildren = null);

/// <summary>A fatal signal: <c>Name</c> like "SIGSEGV", a one-line description, the faulting address if any.</summary>
public sealed record SignalInfo(string Name, string Description, RemotePtr? FaultAddress = null, string? Details = null);

/// <summary>
/// A .NET exception in flight on a thread: its type (`Namespace.Type`), message, its stack as text
/// (innermost first, C# lines where the trace has the PDB), its inner exceptions, and whether the
/// program died of it (unhandled).
/// </summary>
public sealed record ThrownException(string Type, string? Message, string StackTrace, IReadOnlyList<ThrownException> Inner, bool Unhandled);

public sealed record DisassembledLine(RemotePtr Address, byte[] Bytes, string Text, string? Symbol = null, SourceLocation? Location = null);
