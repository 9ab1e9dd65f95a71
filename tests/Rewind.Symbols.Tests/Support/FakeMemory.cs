namespace Rewind.Symbols.Tests.Support;

/// <summary>Process memory made of a few byte ranges, for unwinding tests.</summary>
internal sealed class FakeMemory : IMemoryReader
{
    private readonly List<(ulong Start, byte[] Bytes)> _ranges = [];

    public FakeMemory Add(ulong start, byte[] bytes)
    {
        _ranges.Add((start, bytes));
        return this;
    }

    public FakeMemory AddWords(ulong start, params ulong[] words) =>
        Add(start, words.SelectMany(BitConverter.GetBytes).ToArray());

    public int Read(RemotePtr address, Span<byte> buffer)
    {
        foreach (var (start, bytes) in _ranges)
        {
            if (address.Value < start || address.Value >= start + (ulong)bytes.Length)
                continue;
            int offset = (int)(address.Value - start);
            int n = Math.Min(buffer.Length, bytes.Length - offset);
            bytes.AsSpan(offset, n).CopyTo(buffer);
            return n;
        }
        return 0;
    }
}
