namespace Rewind.Symbols.Dotnet;

/// <summary>
/// One frame of a thread's stack, native or managed: its stack pointer and pc, the function
/// (a native symbol, or `Namespace.Type.Method(args)`), its source line when known, and the
/// native module it lies in (managed code has none: the JIT wrote it).
/// </summary>
public sealed record MixedFrame(ulong StackPointer, ulong Pc, string Function, SourceLine? Line, string? Module, bool IsManaged);
