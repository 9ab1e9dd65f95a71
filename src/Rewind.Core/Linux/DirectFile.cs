using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rewind.Linux;

/// <summary>
/// Moves the page-aligned middle of a large read or write (checkpoint pages, mapped files)
/// between the disk and our memory with O_DIRECT, past the page cache; the unaligned head and
/// tail, and every small range, go through the file's ordinary handle, so the two never share a
/// page. On the project's VM a new page-cache page costs about 3.4 µs (the host backs it on first
/// touch), which held buffered writes of a checkpoint to ~400 MB/s against 1.7 GB/s direct
/// (docs/decisions.md, "Checkpoint memory moves past the page cache"). Where the file system refuses
/// O_DIRECT, everything goes through the ordinary handle. Thread-safe.
/// </summary>
internal sealed unsafe class DirectFile : IDisposable
{
    /// <summary>Ranges shorter than this go through the page cache whole.</summary>
    public const int Threshold = 1 << 20;

    private const int Page = 4096;
    private const int BounceLength = 4 << 20;
    private const int O_DIRECT = 0x4000, O_RDONLY = 0, O_WRONLY = 1;

    private readonly SafeFileHandle _file;
    private readonly Lock _lock = new();
    private int _fd;
    private byte* _bounce;

    /// <summary>Opens a second, direct descriptor of <paramref name="path"/> beside <paramref name="file"/>, its ordinary handle.</summary>
    public DirectFile(SafeFileHandle file, string path, bool write)
    {
        _file = file;
        _fd = Interop.open(path, (write ? O_WRONLY : O_RDONLY) | O_DIRECT | Interop.O_CLOEXEC, 0);
    }

    /// <summary>Writes all of <paramref name="bytes"/> at <paramref name="offset"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes, long offset)
    {
        var (head, middle) = Split(offset, bytes.Length);
        RandomAccess.Write(_file, bytes[..head], offset);
        int done = head;
        if (middle > 0)
        {
            lock (_lock)
            {
                while (done < head + middle && _fd >= 0)
                {
                    int piece = Math.Min(BounceLength, head + middle - done);
                    bytes.Slice(done, piece).CopyTo(new Span<byte>(Bounce(), piece));
                    nint n = Interop.pwrite64(_fd, _bounce, piece, offset + done);
                    if (n != piece)
                    {
                        // A file system that takes O_DIRECT at open but not these writes: the rest goes buffered.
                        Stop();
                        break;
                    }
                    done += piece;
                }
            }
        }
        RandomAccess.Write(_file, bytes[done..], offset + done);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the count.</summary>
    public int Read(Span<byte> buffer, long offset)
    {
        var (head, middle) = Split(offset, buffer.Length);
        int done = ReadBuffered(buffer[..head], offset);
        if (done < head)
        {
            return done;
        }
        if (middle > 0)
        {
            lock (_lock)
            {
                while (done < head + middle && _fd >= 0)
                {
                    int piece = Math.Min(BounceLength, head + middle - done);
                    nint n = Interop.pread64(_fd, Bounce(), piece, offset + done);
                    if (n < 0)
                    {
                        Stop();
                        break;
                    }
                    new ReadOnlySpan<byte>(_bounce, (int)n).CopyTo(buffer[done..]);
                    done += (int)n;
                    if (n < piece)
                    {
                        // The file ends here, or a page is still being written: the ordinary handle decides.
                        break;
                    }
                }
            }
        }
        return done + ReadBuffered(buffer[done..], offset + done);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            Stop();
        }
    }

    /// <summary>How many bytes precede the first page boundary, and how many whole pages follow it.</summary>
    private (int Head, int Middle) Split(long offset, int length)
    {
        if (_fd < 0 || length < Threshold)
        {
            return (length, 0);
        }
        int head = (int)((Page - (offset % Page)) % Page);
        return (head, (length - head) / Page * Page);
    }

    private byte* Bounce()
    {
        if (_bounce == null)
        {
            _bounce = (byte*)NativeMemory.AlignedAlloc(BounceLength, Page);
        }
        return _bounce;
    }

    private void Stop()
    {
        if (_fd >= 0)
        {
            Interop.close(_fd);
            _fd = -1;
        }
        if (_bounce != null)
        {
            NativeMemory.AlignedFree(_bounce);
            _bounce = null;
        }
    }

    private int ReadBuffered(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_file, buffer[total..], offset + total);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }
}
