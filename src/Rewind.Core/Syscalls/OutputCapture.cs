using System.Buffers.Binary;

namespace Rewind.Syscalls;

/// <summary>
/// Collects the memory a syscall wrote, read from the tracee at syscall exit. Helpers name the
/// common shapes of Linux syscall outputs: a fixed-size struct, a buffer filled up to the result,
/// an iovec array filled in order.
/// </summary>
public sealed class OutputCapture(IMemoryReader memory, ulong[] args, long result)
{
    private readonly List<MemoryWrite> _writes = [];

    public ulong[] Args { get; } = args;

    public long Result { get; } = result;

    public bool Succeeded => Result >= 0;

    public IReadOnlyList<MemoryWrite> Writes => _writes;

    /// <summary>A struct of known size at the pointer in argument <paramref name="arg"/>.</summary>
    public void Fixed(int arg, int size) => At(Args[arg], size);

    /// <summary>A buffer at argument <paramref name="arg"/> holding as many bytes as the result says.</summary>
    public void ResultBytes(int arg)
    {
        if (Result > 0)
        {
            At(Args[arg], Result);
        }
    }

    /// <summary>An array of <paramref name="elementSize"/>-byte elements, as many as the result says.</summary>
    public void ResultElements(int arg, int elementSize)
    {
        if (Result > 0)
        {
            At(Args[arg], Result * elementSize);
        }
    }

    /// <summary>An iovec array at <paramref name="iovAddress"/> with <paramref name="count"/> entries, filled with <paramref name="bytes"/> bytes in order.</summary>
    public void Scatter(ulong iovAddress, ulong count, long bytes)
    {
        foreach (var (address, length) in IoVectors.Take(memory, iovAddress, count, bytes))
        {
            At(address, length);
        }
    }

    /// <summary>
    /// A socket address at <paramref name="addressPtr"/> whose length the kernel stored at
    /// <paramref name="lengthPtr"/>. The length is written even with no address (a NULL buffer of
    /// length 0 asks for the address's size).
    /// </summary>
    public void SocketAddress(ulong addressPtr, ulong lengthPtr)
    {
        if (lengthPtr == 0)
        {
            return;
        }
        At(lengthPtr, 4);
        if (addressPtr != 0)
        {
            At(addressPtr, Math.Min(ReadU32(lengthPtr), 128));
        }
    }

    /// <summary>A struct msghdr a recvmsg filled with <paramref name="bytes"/> bytes of data.</summary>
    public void ReceivedMessage(ulong header, long bytes)
    {
        if (header == 0)
        {
            return;
        }
        At(header, 56);
        ulong name = ReadU64(header), control = ReadU64(header + 32);
        At(name, Math.Min(ReadU32(header + 8), 128));
        Scatter(ReadU64(header + 16), ReadU64(header + 24), bytes);
        At(control, (long)Math.Min(ReadU64(header + 40), 1 << 16));
    }

    public ulong ReadU64(ulong address) => IoVectors.Word(memory, address);

    public uint ReadU32(ulong address)
    {
        Span<byte> b = stackalloc byte[4];
        return address != 0 && memory.Read(new RemotePtr(address), b) == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
    }

    /// <summary>Captures <paramref name="size"/> bytes at <paramref name="address"/>; unreadable memory was not written either.</summary>
    public void At(ulong address, long size)
    {
        if (address == 0 || size <= 0)
        {
            return;
        }
        if (size > 1L << 30)
        {
            throw new UnsupportedException($"a syscall output of {size} bytes");
        }
        var data = new byte[size];
        int n = memory.Read(new RemotePtr(address), data);
        if (n > 0)
        {
            _writes.Add(new MemoryWrite(new RemotePtr(address), n == data.Length ? data : data[..n]));
        }
    }
}
