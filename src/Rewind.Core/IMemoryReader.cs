namespace Rewind;

/// <summary>
/// Reads a tracee's memory (live, replayed or restored). Returns the number of bytes read:
/// fewer than asked where the range runs into unmapped memory.
/// </summary>
public interface IMemoryReader
{
    int Read(RemotePtr address, Span<byte> buffer);
}
