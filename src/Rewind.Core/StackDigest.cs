namespace Rewind;

/// <summary>
/// FNV-1a over the top 256 bytes of the stack: with the registers, what identifies the place an
/// asynchronous signal arrived at (shared/DESIGN.md §4, fuzzy points).
/// </summary>
public static class StackDigest
{
    /// <summary>How many bytes from the stack pointer up are digested (fewer where the mapping ends first).</summary>
    public const int Length = 256;

    /// <summary>FNV-1a's 64-bit offset basis and prime.</summary>
    public const ulong Basis = 0xcbf29ce484222325, Prime = 0x100000001b3;

    public static ulong Of(IMemoryReader memory, RemotePtr sp)
    {
        Span<byte> top = stackalloc byte[Length];
        return Of(top[..memory.Read(sp, top)]);
    }

    public static ulong Of(ReadOnlySpan<byte> top)
    {
        ulong hash = Basis;
        foreach (byte b in top)
        {
            hash = (hash ^ b) * Prime;
        }
        return hash;
    }

    /// <summary>The bytes the digest is taken of: the top of the stack, up to <see cref="Length"/>.</summary>
    public static byte[] Top(IMemoryReader memory, RemotePtr sp)
    {
        var top = new byte[Length];
        return top[..memory.Read(sp, top)];
    }
}
