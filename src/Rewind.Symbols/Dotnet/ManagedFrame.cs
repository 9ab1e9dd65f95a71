namespace Rewind.Symbols.Dotnet;

/// <summary>
/// A frame of managed code (<paramref name="Method"/>: `Namespace.Type.Method(args)`, with its C#
/// line when the assembly's portable PDB is in the trace), or one of the runtime's own
/// transition frames (<paramref name="RuntimeFrame"/>, SOS's [InlinedCallFrame] and kin).
/// </summary>
public sealed record ManagedFrame(ulong StackPointer, ulong InstructionPointer, string? Method, SourceLine? Line, string? RuntimeFrame = null);
