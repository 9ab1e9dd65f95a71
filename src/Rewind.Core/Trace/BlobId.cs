using System.Security.Cryptography;

namespace Rewind.Trace;

/// <summary>The SHA-256 of a blob's content: equal contents are stored once.</summary>
public readonly record struct BlobId(string Hex)
{
    public static BlobId Of(ReadOnlySpan<byte> content) => new(Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>
    /// The id of a large file of <paramref name="size"/> bytes stored sparsely with no data piece:
    /// a sparse blob's id hashes its size (8 bytes, little-endian), then each stored piece.
    /// </summary>
    public static BlobId OfHoles(ulong size) => Of(BitConverter.GetBytes(size));

    public byte[] ToBytes() => Convert.FromHexString(Hex);

    public static BlobId FromBytes(ReadOnlySpan<byte> bytes) => new(Convert.ToHexStringLower(bytes));

    public override string ToString() => Hex[..12];
}
