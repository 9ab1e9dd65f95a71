using System.Runtime.InteropServices;
using static Rewind.Linux.Interop.Lz4;

namespace Rewind.Linux;

/// <summary>
/// Whole-buffer compression into the standard LZ4 frame format, so that `lz4 -d` reads
/// what we write. Frames carry their content size; the chunk's CRC-32C, not a content checksum,
/// guards the bytes (liblz4's xxHash32 would cost more than the compression of incompressible pages).
/// </summary>
internal static unsafe class Lz4Frame
{
    /// <summary>The largest frame <see cref="Compress"/> may produce for <paramref name="rawLength"/> bytes.</summary>
    public static int MaxCompressedLength(int rawLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rawLength);
        LZ4F_preferences_t prefs = Preferences(rawLength);
        // The bound includes the frame header and the end mark.
        return checked((int)LZ4F_compressFrameBound((nuint)rawLength, &prefs));
    }

    /// <summary>Compresses <paramref name="source"/> into one frame; returns the bytes written.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        LZ4F_preferences_t prefs = Preferences(source.Length);
        // An empty span pins to a null pointer; liblz4 gets a valid one whatever the length.
        byte dummy = 0;
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            nuint written = LZ4F_compressFrame(
                dst == null ? &dummy : dst, (nuint)destination.Length,
                src == null ? &dummy : src, (nuint)source.Length, &prefs);
            if (LZ4F_isError(written) != 0)
                throw new InvalidOperationException($"LZ4F_compressFrame failed: {ErrorName(written)}");
            return (int)written;
        }
    }

    /// <summary>
    /// Decodes exactly one frame from <paramref name="source"/> into exactly
    /// <paramref name="destination"/>. Throws <see cref="InvalidDataException"/> (one line)
    /// when the frame is damaged, ends early, has trailing bytes or decodes to another size.
    /// </summary>
    public static void Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        nint dctx;
        nuint rc = LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION);
        if (LZ4F_isError(rc) != 0)
            throw new InvalidOperationException($"LZ4F_createDecompressionContext failed: {ErrorName(rc)}");
        try
        {
            Decode(dctx, source, destination);
        }
        finally
        {
            LZ4F_freeDecompressionContext(dctx);
        }
    }

    private static void Decode(nint dctx, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte dummy = 0;
        fixed (byte* srcBase = source)
        fixed (byte* dstBase = destination)
        {
            byte* src = srcBase == null ? &dummy : srcBase;
            byte* dst = dstBase == null ? &dummy : dstBase;
            nuint srcPos = 0, dstPos = 0;
            nuint srcLen = (nuint)source.Length, dstLen = (nuint)destination.Length;
            while (true)
            {
                nuint srcSize = srcLen - srcPos, dstSize = dstLen - dstPos;
                nuint hint = LZ4F_decompress(dctx, dst + dstPos, &dstSize, src + srcPos, &srcSize, null);
                if (LZ4F_isError(hint) != 0)
                    throw new InvalidDataException($"lz4: {ErrorName(hint)}");
                srcPos += srcSize;
                dstPos += dstSize;
                if (hint == 0)
                    break; // the frame is complete and its checksum verified
                // No progress means the input ended inside the frame or the output is full:
                // stop here rather than spin on a hostile frame.
                if (srcSize == 0 && dstSize == 0)
                {
                    throw new InvalidDataException(dstPos == dstLen
                        ? $"lz4: the frame decodes to more than {dstLen} bytes"
                        : $"lz4: the frame ends early, after {dstPos} of {dstLen} bytes");
                }
            }
            if (srcPos != srcLen)
                throw new InvalidDataException($"lz4: {srcLen - srcPos} bytes follow the end of the frame");
            if (dstPos != dstLen)
                throw new InvalidDataException($"lz4: the frame decodes to {dstPos} bytes, expected {dstLen}");
        }
    }

    private static LZ4F_preferences_t Preferences(int rawLength) => new()
    {
        // 256 KiB linked blocks: a better ratio than 64 KiB, and small decoder buffers.
        blockSizeID = LZ4F_max256KB,
        blockMode = LZ4F_blockLinked,
        contentSize = (ulong)rawLength,
    };

    private static string ErrorName(nuint code) =>
        Marshal.PtrToStringUTF8(LZ4F_getErrorName(code)) ?? $"error {(long)code}";
}
