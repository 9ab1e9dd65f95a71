namespace Rewind.Symbols.Dotnet;

/// <summary>
/// One frame of a thread's stack, native or managed: its stack pointer and pc, the function
/// (a native symbol, or `Namespace.Type.Method(args)`), its source line when known, and the
/// native module it lies in (managed code has none: the JIT wrote it). A native frame keeps the
/// unwinder's <see cref="Native"/> frame (its registers, for its variables); a managed one the
/// runtime's <see cref="Managed"/> frame.
/// </summary>
public sealed record MixedFrame(ulong StackPointer, ulong Pc, string Function, SourceLine? Line, string? Module, StackFrame? Native, ManagedFrame? Managed)
{
    public bool IsManaged => Managed != null;
}
