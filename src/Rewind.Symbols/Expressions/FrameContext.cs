using System.Buffers.Binary;

namespace Rewind.Symbols.Expressions;

/// <summary>Evaluates expressions against one frame's registers and the process memory.</summary>
internal sealed class FrameContext(FrameRegisters registers, IMemoryReader memory, ulong loadBias) : IExpressionContext
{
    public Func<ulong?>? FrameBaseProvider { get; init; }

    public ulong? Cfa { get; init; }

    public Func<ulong, ulong>? AddressIndex { get; init; }

    public Func<ReadOnlyMemory<byte>, ulong?>? EntryValues { get; init; }

    public ulong LoadBias => loadBias;

    public ulong? Register(int register) => registers[register];

    public ulong? ReadMemory(ulong address, int size) => Read(memory, address, size);

    public static ulong? Read(IMemoryReader memory, ulong address, int size)
    {
        Span<byte> buffer = stackalloc byte[8];
        buffer.Clear();
        if (size is < 1 or > 8 || memory.Read(new RemotePtr(address), buffer[..size]) != size)
            return null;
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer);
    }

    public ulong? FrameBase() => FrameBaseProvider?.Invoke();

    public ulong? CanonicalFrameAddress() => Cfa;

    public ulong AddressAtIndex(ulong index) =>
        AddressIndex is null ? throw new InvalidDataException("DW_OP_addrx outside a unit") : AddressIndex(index);

    public ulong? EntryValue(ReadOnlyMemory<byte> expression) => EntryValues?.Invoke(expression);
}
