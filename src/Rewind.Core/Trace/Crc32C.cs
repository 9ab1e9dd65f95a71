using System.Buffers.Binary;
using System.Numerics;

namespace Rewind.Trace;

/// <summary>
/// CRC-32C (Castagnoli, as in iSCSI and ext4): initial value and final xor 0xFFFFFFFF.
/// BitOperations.Crc32C is the bare SSE4.2 step, so the inversions are ours.
/// </summary>
internal static class Crc32C
{
    public const uint Seed = 0xFFFF_FFFF;

    /// <summary>Feeds <paramref name="data"/> into a running state started at <see cref="Seed"/>.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        // The crc32 instruction consumes a 64-bit operand low byte first, which is the byte
        // order of the stream when the word is read little-endian.
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data)
            state = BitOperations.Crc32C(state, b);
        return state;
    }

    public static uint Finish(uint state) => ~state;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Seed, data));
}
