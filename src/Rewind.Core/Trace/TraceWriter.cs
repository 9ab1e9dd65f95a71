using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Rewind.Linux;

namespace Rewind.Trace;

/// <summary>
/// Appends chunks to a trace file. Each chunk goes to the kernel in one positioned write as
/// soon as it is compressed, so a recorder that is killed leaves every finished chunk
/// readable (<see cref="TraceReader"/> recovers them). Thread-safe: compression runs on the
/// caller's thread, only the append is serialized; <see cref="QueueChunk"/> hands the
/// compression to a thread of its own instead, in call order.
/// </summary>
public sealed class TraceWriter : IDisposable
{
    /// <summary>The most payload bytes <see cref="QueueChunk"/> holds before its caller waits.</summary>
    private const long MaxQueuedBytes = 256 << 20;
    private const int CopyPiece = 4 << 20;

    private readonly Lock _lock = new();
    private readonly SafeFileHandle _file;
    private readonly DirectWriter _direct;
    private readonly List<ChunkInfo> _chunks = [];
    // The queue of chunks the chunk thread appends, in order, and how many were queued and done;
    // its own gate, apart from _lock, which an append holds while it writes (a kept file's chunk
    // of up to 64 MiB): queueing never waits for a write.
    private readonly object _queueGate = new();
    private readonly Queue<(Action Append, Action Release, long Held)> _pending = new();
    private long _enqueued, _done;
    private Thread? _chunkThread;
    private bool _stopping;
    private long _queuedBytes;
    private long _length;
    private bool _closed;
    private Exception? _failure;

    private TraceWriter(SafeFileHandle file, string path)
    {
        _file = file;
        _direct = new DirectWriter(file, path);
    }

    /// <summary>Bytes in the file so far.</summary>
    public long Length
    {
        get
        {
            lock (_lock)
                return _length;
        }
    }

    /// <summary>Creates <paramref name="path"/>, in place of a file there, and writes the prologue and the Header chunk.</summary>
    public static TraceWriter Create(string path, TraceHeader header)
    {
        Unlink(path);
        // FileShare.Read lets a second process follow a recording in progress.
        SafeFileHandle file = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var writer = new TraceWriter(file, path);
        try
        {
            Span<byte> prologue = stackalloc byte[TraceFormat.PrologueSize];
            prologue.Clear();
            TraceFormat.FileMagic.CopyTo(prologue);
            BinaryPrimitives.WriteUInt16LittleEndian(prologue[8..], TraceFormat.CurrentVersion);
            RandomAccess.Write(file, prologue, 0);
            writer._length = TraceFormat.PrologueSize;
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(
                header with { FormatVersion = TraceFormat.CurrentVersion }, TraceJsonContext.Default.TraceHeader);
            writer.Append(ChunkKind.Header, 0, json, record: false);
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Unlinks the file at <paramref name="path"/> (a trace being replaced) rather than truncating
    /// it: truncating an 80 MB trace took 8–15 ms of a recording's start, while the kernel freed its
    /// pages and blocks. They are freed when its last descriptor closes: one kept open, closed by
    /// a thread of its own meanwhile. A reader of the old trace reads it whole to its end. A link,
    /// or a file that cannot be opened, is left to be truncated.
    /// </summary>
    private static void Unlink(string path)
    {
        var old = new FileInfo(path);
        if (!old.Exists || old.LinkTarget != null)
            return;
        SafeFileHandle? held = null;
        try
        {
            held = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            held?.Dispose();
            return;
        }
        CpuPinning.StartUnpinned("rewind unlink", held.Dispose);
    }

    /// <summary>Compresses <paramref name="payload"/> into an LZ4 frame and appends it as one chunk.</summary>
    public ChunkInfo WriteChunk(ChunkKind kind, ulong tag, ReadOnlySpan<byte> payload)
    {
        CheckKind(kind);
        WaitForQueued();
        return Append(kind, tag, payload, record: true);
    }

    /// <summary>
    /// Like <see cref="WriteChunk"/>, but compressed and appended on another thread, so that a
    /// large payload (a mapped file) costs its caller a copy only. Queued chunks keep their call
    /// order, and a chunk written by <see cref="WriteChunk"/> waits for those queued before it:
    /// an events chunk never reaches the file ahead of the files its events map, so a recorder
    /// killed in between leaves a trace whose every event can replay. A failure surfaces at the
    /// next write, <see cref="Flush"/> or <see cref="Complete"/>. Each runs on a thread of its own,
    /// not the thread pool's: a recorder waiting for its queued chunks while every pool thread was
    /// blocked (a test host running many tests at once) waited for ever. It is one thread for the
    /// writer's life, not one a chunk: the runtime starts a thread and waits for it to run, which
    /// from a tracer pinned with its program to one CPU cost 1–3 ms a chunk (25 chunks in a `dotnet
    /// Hello.dll` recording). The payload is
    /// <paramref name="head"/> then <paramref name="body"/> (a blob piece's id and offset, then its
    /// bytes), put together in the one copy.
    /// </summary>
    /// <param name="written">hears the chunk as it went into the file (header and LZ4 frame), on
    /// the thread that wrote it: what <see cref="QueueCopied"/> takes.</param>
    public void QueueChunk(ChunkKind kind, ulong tag, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, Action<ReadOnlySpan<byte>>? written = null)
    {
        CheckKind(kind);
        int length = head.Length + body.Length;
        byte[] owned = Own(length);
        head.CopyTo(owned);
        body.CopyTo(owned.AsSpan(head.Length));
        Enqueue(owned, length, payload => Append(kind, tag, payload, record: true, written));
    }

    /// <summary>
    /// Queues chunks compressed before, as <see cref="QueueChunk"/>'s <c>written</c> heard them,
    /// which <paramref name="source"/> holds at the offsets given (a stored file kept across
    /// recordings, <see cref="Recording.FileCache"/>): the chunk thread checks each one's CRC and
    /// copies it as it is, in call order with the queued chunks, a few MiB at a time; a chunk
    /// found damaged is written from <paramref name="remake"/>'s payload for its index instead,
    /// compressed afresh. Then it closes <paramref name="source"/> and calls <paramref name="release"/>.
    /// </summary>
    internal void QueueCopied(SafeFileHandle source, IReadOnlyList<(long Offset, ChunkHeader Header)> chunks, Func<int, byte[]> remake, Action release)
    {
        foreach (var (_, header) in chunks)
            CheckKind(header.Kind);
        Enqueue(0, () =>
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyPiece);
            try
            {
                for (int i = 0; i < chunks.Count; i++)
                {
                    var (offset, header) = chunks[i];
                    if (IsWhole(source, offset, header, buffer))
                        Copy(source, offset, header, buffer);
                    else
                        Append(header.Kind, header.Tag, remake(i), record: true);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }, () =>
        {
            source.Dispose();
            release();
        });
    }

    /// <summary>Whether the chunk of <paramref name="header"/> at <paramref name="offset"/> of <paramref name="source"/> is whole: its CRC, read through <paramref name="buffer"/>.</summary>
    private static bool IsWhole(SafeFileHandle source, long offset, ChunkHeader header, byte[] buffer)
    {
        Span<byte> headerBytes = stackalloc byte[TraceFormat.ChunkHeaderSize];
        if (RandomAccess.Read(source, headerBytes, offset) != headerBytes.Length || ChunkHeader.Read(headerBytes) != header)
            return false;
        uint crc = ChunkHeader.CrcOfHeader(headerBytes);
        long read = ReadPieces(source, offset + TraceFormat.ChunkHeaderSize, header.StoredLength, buffer, n => crc = Crc32C.Append(crc, buffer.AsSpan(0, n)));
        return read == header.StoredLength && Crc32C.Finish(crc) == header.Crc;
    }

    /// <summary>Appends the chunk of <paramref name="header"/> at <paramref name="offset"/> of <paramref name="source"/> as it is, through <paramref name="buffer"/>.</summary>
    private void Copy(SafeFileHandle source, long offset, ChunkHeader header, byte[] buffer)
    {
        lock (_lock)
        {
            ThrowIfUnusable();
            long at = _length, size = TraceFormat.ChunkHeaderSize + header.StoredLength;
            long read = ReadPieces(source, offset, size, buffer, n => WriteAt(buffer.AsSpan(0, n)));
            if (read < size)
                throw new IOException($"a kept chunk ended {size - read} bytes short");
            _chunks.Add(header.ToInfo(at));
        }
    }

    /// <summary>
    /// Reads <paramref name="length"/> bytes of <paramref name="source"/> from <paramref name="at"/>
    /// into <paramref name="buffer"/> a piece at a time, each piece's size to <paramref name="use"/>;
    /// returns how many it read, fewer where the file ends first.
    /// </summary>
    private static long ReadPieces(SafeFileHandle source, long at, long length, byte[] buffer, Action<int> use)
    {
        long done = 0;
        while (done < length && RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), at + done) is var n and > 0)
        {
            use(n);
            done += n;
        }
        return done;
    }

    /// <summary>A buffer of <paramref name="length"/> bytes for a queued chunk, once the queue holds less than its bound (past it, the caller waits as WriteChunk would).</summary>
    private byte[] Own(int length)
    {
        if (Interlocked.Read(ref _queuedBytes) > MaxQueuedBytes)
            WaitForQueued();
        return ArrayPool<byte>.Shared.Rent(length);
    }

    /// <summary>Runs <paramref name="append"/> on <paramref name="length"/> bytes of <paramref name="owned"/> after every chunk queued before, and returns the buffer to the pool.</summary>
    private void Enqueue(byte[] owned, int length, Action<ReadOnlySpan<byte>> append) =>
        Enqueue(length, () => append(owned.AsSpan(0, length)), () => ArrayPool<byte>.Shared.Return(owned));

    /// <summary>Runs <paramref name="append"/> after every chunk queued before, then <paramref name="release"/>; <paramref name="held"/> bytes count against the queue's bound meanwhile.</summary>
    private void Enqueue(long held, Action append, Action release)
    {
        lock (_queueGate)
        {
            ThrowIfUnusable();
            _queuedBytes += held;
            _pending.Enqueue((append, release, held));
            _enqueued++;
            _chunkThread ??= CpuPinning.StartUnpinned("rewind chunks", AppendQueued);
            Monitor.PulseAll(_queueGate);
        }
    }

    /// <summary>The chunk thread: appends the queued chunks in order until the writer closes; a failure is kept for the next write to say.</summary>
    private void AppendQueued()
    {
        while (true)
        {
            (Action Append, Action Release, long Held) work;
            lock (_queueGate)
            {
                while (_pending.Count == 0 && !_stopping)
                    Monitor.Wait(_queueGate);
                if (_pending.Count == 0)
                    return;
                work = _pending.Dequeue();
            }
            try
            {
                work.Append();
            }
            catch (Exception e)
            {
                lock (_lock)
                    _failure ??= e;
            }
            finally
            {
                work.Release();
                Interlocked.Add(ref _queuedBytes, -work.Held);
                lock (_queueGate)
                {
                    _done++;
                    Monitor.PulseAll(_queueGate);
                }
            }
        }
    }

    /// <summary>
    /// Makes everything written so far readable by another process. Every chunk already
    /// reached the kernel's page cache in <see cref="WriteChunk"/> (there is no user-space
    /// buffer), so this only checks that the writer is healthy; it does not fsync.
    /// </summary>
    public void Flush()
    {
        WaitForQueued();
        lock (_lock)
            ThrowIfUnusable();
    }

    /// <summary>
    /// Writes the Index chunk (every chunk written plus <paramref name="summary"/>, opaque to
    /// the container) and the trailer, then closes the file. Without it the trace stays
    /// readable but is reported as interrupted. <paramref name="durable"/>: on the disk (fsync)
    /// before it returns, for a file whose loss would lose what it replaces.
    /// </summary>
    public void Complete(ReadOnlySpan<byte> summary, bool durable = false)
    {
        WaitForQueued();
        lock (_lock)
        {
            ThrowIfUnusable();
            int length = TraceIndex.PayloadLength(_chunks.Count, summary.Length);
            if (length > TraceFormat.MaxPayloadLength)
                throw new ArgumentException("the index and summary exceed the 1 GiB chunk limit", nameof(summary));
            byte[] index = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                TraceIndex.Write(index, _chunks, summary);
                long indexOffset = _length;
                Append(ChunkKind.Index, 0, index.AsSpan(0, length), record: false);
                Span<byte> trailer = stackalloc byte[TraceFormat.TrailerSize];
                TraceIndex.WriteTrailer(trailer, indexOffset);
                WriteAt(trailer);
                if (durable && Interop.fsync(_file) != 0)
                    throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(index);
            }
            Close();
        }
        StopChunkThread();
    }

    /// <summary>
    /// Closes the file once the queued chunks are in it; without <see cref="Complete"/> it is
    /// left as an interrupted trace.
    /// </summary>
    public void Dispose()
    {
        WaitForQueued();
        lock (_lock)
            Close();
        StopChunkThread();
    }

    /// <summary>Closes the file, under the lock; the writer refuses every write from then on.</summary>
    private void Close()
    {
        _closed = true;
        _direct.Dispose();
        _file.Dispose();
    }

    private static void CheckKind(ChunkKind kind)
    {
        if (kind is 0 or ChunkKind.Header or ChunkKind.Index)
            throw new ArgumentException($"chunk kind {kind} is written by the container itself", nameof(kind));
    }

    /// <summary>Waits until every queued chunk is appended (or has failed; its append recorded why).</summary>
    private void WaitForQueued()
    {
        lock (_queueGate)
        {
            long queued = _enqueued;
            while (_done < queued)
                Monitor.Wait(_queueGate);
        }
    }

    /// <summary>Lets the chunk thread end, the queue empty (<see cref="WaitForQueued"/> before).</summary>
    private void StopChunkThread()
    {
        lock (_queueGate)
        {
            _stopping = true;
            Monitor.PulseAll(_queueGate);
        }
    }

    private ChunkInfo Append(ChunkKind kind, ulong tag, ReadOnlySpan<byte> payload, bool record, Action<ReadOnlySpan<byte>>? written = null)
    {
        if (payload.Length > TraceFormat.MaxPayloadLength)
            throw new ArgumentException($"a chunk payload of {payload.Length} bytes exceeds the 1 GiB limit", nameof(payload));
        int bound = TraceFormat.ChunkHeaderSize + Lz4Frame.MaxCompressedLength(payload.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            int stored = Lz4Frame.Compress(payload, buffer.AsSpan(TraceFormat.ChunkHeaderSize));
            ReadOnlySpan<byte> frame = buffer.AsSpan(TraceFormat.ChunkHeaderSize, stored);
            ChunkHeader.Write(buffer, kind, tag, payload.Length, frame);
            ChunkInfo info;
            lock (_lock)
            {
                ThrowIfUnusable();
                info = new ChunkInfo(kind, _length, stored, payload.Length, tag);
                WriteAt(buffer.AsSpan(0, TraceFormat.ChunkHeaderSize + stored));
                if (record)
                    _chunks.Add(info);
            }
            written?.Invoke(buffer.AsSpan(0, TraceFormat.ChunkHeaderSize + stored));
            return info;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Appends at the end; a failed write poisons the writer, since the file end is then unknown.</summary>
    private void WriteAt(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _direct.Write(bytes, _length);
            _length += bytes.Length;
        }
        catch (Exception e)
        {
            _failure = e;
            throw;
        }
    }

    /// <summary>
    /// Refuses a closed or failed writer. A failure (a full disk, most often, met by a queued
    /// chunk's append on its own thread) is said in its own words wherever it surfaces, so the
    /// caller's one line names the cause whichever write met it first.
    /// </summary>
    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_failure is not null)
            throw new IOException(_failure.Message, _failure);
    }
}
