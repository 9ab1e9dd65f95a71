using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rewind.Linux;

/// <summary>Files in memory (memfd_create(2)) of the tracer's own, and copying a file's data into one.</summary>
internal static class MemoryFile
{
    public static SafeFileHandle Create(string name) =>
        new((nint)Interop.Check(Interop.memfd_create(name, Interop.MFD_CLOEXEC), "memfd_create"), ownsHandle: true);

    public static void Resize(SafeFileHandle file, long size) => Interop.Check(Interop.ftruncate(file, size), "ftruncate");

    /// <summary>
    /// Writes <paramref name="bytes"/> at <paramref name="offset"/> of <paramref name="file"/> but
    /// the pages of them that are zeros, one write per run of the others: a hole read back from a
    /// sparse file's saved pieces stays a hole, and takes no memory in a memfd.
    /// </summary>
    public static void WriteData(SafeFileHandle file, ReadOnlySpan<byte> bytes, long offset)
    {
        const int PageSize = 4096;
        int run = -1;
        for (int at = 0; run >= 0 || at < bytes.Length; at = Math.Min(bytes.Length, at + PageSize))
        {
            bool data = at < bytes.Length && bytes[at..Math.Min(bytes.Length, at + PageSize)].ContainsAnyExcept((byte)0);
            if (data && run < 0)
            {
                run = at;
            }
            else if (!data && run >= 0)
            {
                RandomAccess.Write(file, bytes[run..at], offset + run);
                run = -1;
            }
        }
    }

    /// <summary>Makes [<paramref name="offset"/>, +<paramref name="length"/>) of <paramref name="file"/> zeros, a hole that takes no memory, keeping its size.</summary>
    public static void Zero(SafeFileHandle file, long offset, long length)
    {
        if (length > 0)
        {
            Interop.Check(Interop.fallocate(file, Interop.FALLOC_FL_PUNCH_HOLE | Interop.FALLOC_FL_KEEP_SIZE, offset, length), "fallocate(FALLOC_FL_PUNCH_HOLE)");
        }
    }

    /// <summary>
    /// Makes <paramref name="to"/> a copy of <paramref name="from"/>: its size, and its data extents
    /// (a JIT's memfd is gigabytes of holes around a few megabytes of code), copied in the kernel
    /// where it can (between a disk file and a memfd it cannot: EXDEV) and through memory otherwise.
    /// </summary>
    public static unsafe void CopyData(SafeFileHandle from, SafeFileHandle to)
    {
        const int EXDEV = 18, EINVAL = 22, EOPNOTSUPP = 95;
        long size = RandomAccess.GetLength(from);
        Resize(to, size);
        long offset = 0;
        byte[]? buffer = null;
        while (offset < size && (offset = Interop.lseek(from, offset, Interop.SEEK_DATA)) >= 0)
        {
            long end = Interop.Check(Interop.lseek(from, offset, Interop.SEEK_HOLE), "lseek(SEEK_HOLE)");
            long input = offset, output = offset;
            while (input < end)
            {
                if (buffer == null)
                {
                    nint copied = Interop.copy_file_range(from, &input, to, &output, (nint)(end - input), 0);
                    if (copied > 0)
                    {
                        continue;
                    }
                    if (copied == 0)
                    {
                        break;
                    }
                    if (Marshal.GetLastPInvokeError() is not (EXDEV or EINVAL or EOPNOTSUPP))
                    {
                        throw Interop.Error("copy_file_range");
                    }
                    buffer = new byte[1 << 20];
                }
                int n = RandomAccess.Read(from, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - input)), input);
                if (n == 0)
                {
                    break;
                }
                RandomAccess.Write(to, buffer.AsSpan(0, n), input);
                input += n;
            }
            offset = end;
        }
    }
}
