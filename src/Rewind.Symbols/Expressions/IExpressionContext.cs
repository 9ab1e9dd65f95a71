namespace Rewind.Symbols.Expressions;

/// <summary>What a DWARF expression may ask of the frame it is evaluated in.</summary>
internal interface IExpressionContext
{
    ulong? Register(int register);

    /// <summary>Reads up to 8 bytes of memory, little-endian, or null when unreadable.</summary>
    ulong? ReadMemory(ulong address, int size);

    /// <summary>The frame base (DW_AT_frame_base), for DW_OP_fbreg.</summary>
    ulong? FrameBase();

    ulong? CanonicalFrameAddress();

    /// <summary>Load bias added to DW_OP_addr operands.</summary>
    ulong LoadBias { get; }

    /// <summary>DW_OP_addrx operands: an address from .debug_addr (unrelocated).</summary>
    ulong AddressAtIndex(ulong index);

    /// <summary>The value the expression had at function entry (DW_OP_entry_value), or null.</summary>
    ulong? EntryValue(ReadOnlyMemory<byte> expression);
}
