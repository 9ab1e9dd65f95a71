namespace Rewind.Core.Tests.Values;

/// <summary>Bytes at a fixed address, read as a process's memory; nothing elsewhere.</summary>
internal sealed class FixedMemory(ulong start, byte[] bytes) : IMemoryReader
{
    public int Read(RemotePtr address, Span<byte> buffer)
    {
        long offset = (long)(address.Value - start);
        if (offset < 0 || offset >= bytes.Length)
        {
            return 0;
        }
        int n = Math.Min(buffer.Length, bytes.Length - (int)offset);
        bytes.AsSpan((int)offset, n).CopyTo(buffer);
        return n;
    }
}
