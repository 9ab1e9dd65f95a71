namespace Rewind.Symbols.Dotnet;

/// <summary>
/// What a managed frame holds: its arguments (`this` first in an instance method) and its locals
/// in scope at its pc (named from the kept PDB); <paramref name="Problem"/> says why there are none
/// where the runtime's data-access library cannot walk to the frame.
/// </summary>
public sealed record ManagedVariables(IReadOnlyList<ManagedVariable> Arguments, IReadOnlyList<ManagedVariable> Locals, string? Problem = null);
