namespace Rewind.Symbols.Dotnet;

/// <summary>
/// A managed source line bound to the native code the JIT made of it at one moment, in every code
/// version its method has there: its <paramref name="Addresses"/>, or none with the
/// <paramref name="Problem"/> that says why (the method's assembly is not loaded yet, or the JIT
/// has not compiled the method yet). <paramref name="Final"/> where the method's present code is
/// the last the JIT makes of it (optimized code), so no later moment adds another.
/// </summary>
public sealed record ManagedLineBinding(IlLocation Location, string? Method, IReadOnlyList<ulong> Addresses, string? Problem, bool Final = false);
