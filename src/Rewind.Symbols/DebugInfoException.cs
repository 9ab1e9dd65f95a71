namespace Rewind.Symbols;

/// <summary>
/// A module whose ELF or DWARF data cannot be used: truncated, malformed or over one of the
/// fixed caps. The message names the module; the other modules keep working.
/// </summary>
public sealed class DebugInfoException(string message, Exception? inner = null)
    : RewindException(message, inner ?? new InvalidDataException(message));
