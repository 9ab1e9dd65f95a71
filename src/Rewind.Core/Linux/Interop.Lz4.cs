using System.Runtime.InteropServices;

namespace Rewind.Linux;

internal static partial class Interop
{
    /// <summary>
    /// The LZ4 frame API of the system's reference liblz4 (lz4frame.h, liblz4 1.9.x).
    /// liblz4 reports errors through its return codes (LZ4F_isError), never through errno,
    /// so SetLastError would only capture noise; it is left off on purpose.
    /// </summary>
    internal static unsafe partial class Lz4
    {
        private const string Library = "liblz4.so.1";

        /// <summary>LZ4F_VERSION: the API version a decompression context is created for.</summary>
        internal const uint LZ4F_VERSION = 100;

        internal const int LZ4F_max256KB = 5;
        internal const int LZ4F_blockLinked = 0;

        /// <summary>LZ4F_preferences_t with its LZ4F_frameInfo_t flattened in; 56 bytes on x86-64.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct LZ4F_preferences_t
        {
            public int blockSizeID;
            public int blockMode;
            public int contentChecksumFlag;
            public int frameType;
            public ulong contentSize;
            public uint dictID;
            public int blockChecksumFlag;
            public int compressionLevel;
            public uint autoFlush;
            public uint favorDecSpeed;
            public fixed uint reserved[3];
        }

        [LibraryImport(Library)]
        internal static partial nuint LZ4F_compressFrameBound(nuint srcSize, LZ4F_preferences_t* preferencesPtr);

        [LibraryImport(Library)]
        internal static partial nuint LZ4F_compressFrame(
            byte* dstBuffer, nuint dstCapacity, byte* srcBuffer, nuint srcSize, LZ4F_preferences_t* preferencesPtr);

        [LibraryImport(Library)]
        internal static partial nuint LZ4F_createDecompressionContext(nint* dctxPtr, uint version);

        [LibraryImport(Library)]
        internal static partial nuint LZ4F_freeDecompressionContext(nint dctx);

        /// <summary>Passing null options: dst is not stable between calls and checksums are verified.</summary>
        [LibraryImport(Library)]
        internal static partial nuint LZ4F_decompress(
            nint dctx, byte* dstBuffer, nuint* dstSizePtr, byte* srcBuffer, nuint* srcSizePtr, void* dOptPtr);

        [LibraryImport(Library)]
        internal static partial uint LZ4F_isError(nuint code);

        /// <summary>Returns a static string owned by liblz4: never free it.</summary>
        [LibraryImport(Library)]
        internal static partial nint LZ4F_getErrorName(nuint code);
    }
}
