namespace Rewind.Symbols.Dotnet;

/// <summary>A statement of managed code: where the JIT's code of a sequence point starts, and its source line.</summary>
public sealed record ManagedStatement(ulong Address, SourceLine Line);

/// <summary>
/// The native code the JIT made of a method at one moment: its name, where it starts and ends,
/// where each of its C# statements starts (every sequence point the IL-to-native map has code
/// for), and, in an async method's MoveNext, where each await's continuation enters it, in the
/// middle of the await's line (<see cref="PortablePdbs.ResumesIn"/>).
/// </summary>
public sealed record ManagedCode(string Method, ulong Start, ulong End, IReadOnlyList<ManagedStatement> Statements, IReadOnlyList<ManagedStatement> Resumes);
