namespace Rewind;

/// <summary>
/// FNV-1a over the top 256 bytes of the stack: with the registers, what identifies the place an
/// asynchronous signal arrived at (shared/DESIGN.md §4, fuzzy points).
/// </summary>
public static class StackDigest
{
    public static ulong Of(IMemoryReader memory, RemotePtr sp)
    {
        Span<byte> top = stackalloc byte[256];
        int n = memory.Read(sp, top);
        ulong hash = 0xcbf29ce484222325;
        foreach (byte b in top[..n])
        {
            hash = (hash ^ b) * 0x100000001b3;
        }
        return hash;
    }
}
