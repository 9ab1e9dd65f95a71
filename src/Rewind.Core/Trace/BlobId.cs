using System.Security.Cryptography;

namespace Rewind.Trace;

/// <summary>The SHA-256 of a blob's content: equal contents are stored once.</summary>
public readonly record struct BlobId(string Hex)
{
    public static BlobId Of(ReadOnlySpan<byte> content) => new(Convert.ToHexStringLower(SHA256.HashData(content)));

    public byte[] ToBytes() => Convert.FromHexString(Hex);

    public static BlobId FromBytes(ReadOnlySpan<byte> bytes) => new(Convert.ToHexStringLower(bytes));

    public override string ToString() => Hex[..12];
}
