using System.Buffers.Binary;

namespace Rewind.Syscalls;

/// <summary>
/// struct iovec arrays (readv(2), writev(2)): a base and a length, 16 bytes each. The kernel fills
/// or drains the buffers in array order, so the first <c>bytes</c> of a call's result are the
/// leading pieces.
/// </summary>
public static class IoVectors
{
    /// <summary>IOV_MAX: the kernel refuses longer arrays (EINVAL).</summary>
    public const int Max = 1024;

    /// <summary>The pieces of the <paramref name="count"/>-entry array at <paramref name="array"/> that hold its first <paramref name="bytes"/> bytes, in order.</summary>
    public static IEnumerable<(ulong Address, long Length)> Take(IMemoryReader memory, ulong array, ulong count, long bytes)
    {
        count = Math.Min(count, Max);
        for (ulong i = 0; i < count && bytes > 0; i++)
        {
            ulong address = Word(memory, array + i * 16);
            long take = (long)Math.Min(Word(memory, array + i * 16 + 8), (ulong)bytes);
            yield return (address, take);
            bytes -= take;
        }
    }

    /// <summary>The u64 at <paramref name="address"/>; 0 where it cannot be read (the kernel would have failed the call).</summary>
    public static ulong Word(IMemoryReader memory, ulong address)
    {
        Span<byte> b = stackalloc byte[8];
        return address != 0 && memory.Read(new RemotePtr(address), b) == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
    }
}
