using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// Buffers events and writes them as Events chunks: when the buffer is full, and every quarter
/// second from a timer, so a recorder that is killed loses at most that much (the tracee dies
/// with it, PTRACE_O_EXITKILL). Payload: base time, event count, events (docs/trace-format.md).
/// </summary>
internal sealed class EventLog : IDisposable
{
    private const int ChunkBytes = 256 * 1024;

    private readonly Lock _lock = new();
    private readonly TraceWriter _writer;
    private readonly ByteWriter _events = new();
    private readonly ByteWriter _payload = new();
    private readonly Timer _flusher;
    private long _count;
    private long _bufferedCount;
    private long _bufferBaseTime;
    private long _lastTime;
    private long _rawBytes;
    private bool _stopped;

    public EventLog(TraceWriter writer)
    {
        _writer = writer;
        _flusher = new Timer(_ => FlushFromTimer(), null, 250, 250);
    }

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public long RawBytes => _rawBytes;

    public void Append(TraceEvent e)
    {
        lock (_lock)
        {
            EventCodec.Write(_events, e, _lastTime);
            _lastTime = e.Time;
            _count++;
            _bufferedCount++;
            if (_events.Length >= ChunkBytes)
            {
                WriteChunk();
            }
        }
    }

    /// <summary>Writes buffered events and hands them to the kernel.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            WriteChunk();
            _writer.Flush();
        }
    }

    /// <summary>A timer callback may still run after the timer is disposed: once stopped, the writer may be closed.</summary>
    private void FlushFromTimer()
    {
        CpuPinning.ReleasePoolThread();
        lock (_lock)
        {
            if (!_stopped)
            {
                WriteChunk();
                _writer.Flush();
            }
        }
    }

    private void WriteChunk()
    {
        if (_bufferedCount == 0)
        {
            return;
        }
        _payload.Clear();
        _payload.VarS(_bufferBaseTime);
        _payload.VarU((ulong)_bufferedCount);
        _payload.Raw(_events.WrittenSpan);
        _writer.WriteChunk(ChunkKind.Events, (ulong)(_count - _bufferedCount), _payload.WrittenSpan);
        _rawBytes += _payload.Length;
        _events.Clear();
        _bufferedCount = 0;
        _bufferBaseTime = _lastTime;
    }

    /// <summary>Stops the timer; <see cref="Flush"/> first if the events are to be kept.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
        }
        _flusher.Dispose();
    }
}
