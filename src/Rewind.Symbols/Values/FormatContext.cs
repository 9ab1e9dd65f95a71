namespace Rewind.Symbols.Values;

/// <summary>What formatting needs besides the bytes: memory for strings, symbols for addresses.</summary>
internal sealed class FormatContext(IMemoryReader memory, Func<ulong, string?> symbolAt)
{
    /// <summary>gdb's "print elements" default.</summary>
    public const int ElementLimit = 200;

    /// <summary>gdb's "print repeats" default: runs longer than this are collapsed.</summary>
    public const int RepeatThreshold = 10;

    public const int MaxDepth = 32;

    public IMemoryReader Memory { get; } = memory;

    public Func<ulong, string?> SymbolAt { get; } = symbolAt;
}
