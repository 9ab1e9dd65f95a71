namespace Rewind.Core.Tests.Syscalls;

/// <summary>A tracee address space made of a few byte arrays; reads stop where mapped memory ends.</summary>
internal sealed class FakeMemory : IMemoryReader
{
    private readonly List<(ulong Start, byte[] Bytes)> _regions = [];

    public int Reads { get; private set; }

    public FakeMemory Map(ulong start, byte[] bytes)
    {
        _regions.Add((start, bytes));
        return this;
    }

    public FakeMemory Map(ulong start, int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return Map(start, bytes);
    }

    public byte[] Bytes(ulong address, int length)
    {
        var buffer = new byte[length];
        Assert.Equal(length, Read(new RemotePtr(address), buffer));
        return buffer;
    }

    public int Read(RemotePtr address, Span<byte> buffer)
    {
        Reads++;
        int done = 0;
        while (done < buffer.Length)
        {
            ulong at = address.Value + (ulong)done;
            var region = _regions.FirstOrDefault(r => at >= r.Start && at < r.Start + (ulong)r.Bytes.Length);
            if (region.Bytes == null)
                break;
            int offset = (int)(at - region.Start);
            int n = Math.Min(buffer.Length - done, region.Bytes.Length - offset);
            region.Bytes.AsSpan(offset, n).CopyTo(buffer[done..]);
            done += n;
        }
        return done;
    }
}
