namespace Rewind.Symbols.Dotnet;

/// <summary>A statement of managed code: where the JIT's code of a sequence point starts, and its source line.</summary>
public sealed record ManagedStatement(ulong Address, SourceLine Line);

/// <summary>
/// The native code the JIT made of a method at one moment: its name, where it starts, and where
/// each of its C# statements starts (every sequence point the IL-to-native map has code for).
/// </summary>
public sealed record ManagedCode(string Method, ulong Start, IReadOnlyList<ManagedStatement> Statements);
