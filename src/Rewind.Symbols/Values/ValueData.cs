namespace Rewind.Symbols.Values;

/// <summary>
/// The bytes of a value: copied (registers, literals, small memory values) or still in memory at
/// <see cref="Address"/>. Null bytes and no address means the value is optimized out.
/// </summary>
/// <param name="Unavailable">Per byte of <see cref="Bytes"/>, true where a piece of the location is optimized out.</param>
internal sealed record ValueData(byte[]? Bytes, ulong? Address, string? Error = null, bool[]? Unavailable = null)
{
    public static readonly ValueData OptimizedOut = new(null, null);

    /// <summary>DW_OP_implicit_pointer: a pointer the compiler removed, to a value that has no address.</summary>
    public static readonly ValueData SyntheticPointer = new(null, null, "<synthetic pointer>");

    public bool IsOptimizedOut => Bytes is null && Address is null && Error is null;

    /// <summary>Reads bytes at an offset into the value; false when unreadable.</summary>
    public bool TryRead(ulong offset, Span<byte> into, IMemoryReader memory)
    {
        if (Bytes is not null && offset <= (ulong)Bytes.Length && (ulong)into.Length <= (ulong)Bytes.Length - offset)
        {
            Bytes.AsSpan((int)offset, into.Length).CopyTo(into);
            return true;
        }
        if (Address is { } a)
            return memory.Read(new RemotePtr(a + offset), into) == into.Length;
        return false;
    }

    public ValueData Slice(ulong offset) =>
        Bytes is not null && offset <= (ulong)Bytes.Length
            ? new ValueData(Bytes[(int)offset..], Address + offset, Error, Unavailable is null ? null : Unavailable[(int)Math.Min(offset, (ulong)Unavailable.Length)..])
            : new ValueData(null, Address + offset, Error);

    /// <summary>True when any of the bytes [offset, offset + count) is optimized out.</summary>
    public bool AnyUnavailable(ulong offset, ulong count)
    {
        if (Unavailable is null)
            return false;
        for (ulong i = offset; i < offset + count && i < (ulong)Unavailable.Length; i++)
            if (Unavailable[i])
                return true;
        return false;
    }
}
