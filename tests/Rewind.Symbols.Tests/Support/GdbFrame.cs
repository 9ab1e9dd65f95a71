namespace Rewind.Symbols.Tests.Support;

/// <summary>One line of gdb's "bt": function, source file base name and line (0 when none).</summary>
internal sealed record GdbFrame(int Index, string Function, string? File, int Line, string Arguments)
{
    public override string ToString() => $"#{Index} {Function} at {File}:{Line}";
}
