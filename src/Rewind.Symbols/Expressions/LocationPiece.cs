namespace Rewind.Symbols.Expressions;

/// <summary>One piece of a location; <see cref="Size"/> 0 means "the whole value".</summary>
internal readonly record struct LocationPiece(LocationKind Kind, ulong Value, int Size, ReadOnlyMemory<byte> Bytes = default);
