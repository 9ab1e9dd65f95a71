namespace Rewind.Symbols;

/// <summary>The variables visible in a frame, as the DAP "scopes" request groups them.</summary>
/// <param name="Locals">Innermost block first, as gdb's "info locals" lists them.</param>
/// <param name="Globals">Variables of the frame's compilation unit with static storage.</param>
public sealed record FrameScopes(IReadOnlyList<Variable> Parameters, IReadOnlyList<Variable> Locals, IReadOnlyList<Variable> Globals);
