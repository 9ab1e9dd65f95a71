using System.Text.Json;
using Rewind.Checkpoints;

namespace Rewind.Trace;

/// <summary>
/// A trace opened for replay: its events in order, the file contents it holds, its checkpoints
/// and a summary, from the footer or, for a recording that was cut short, from the chunks found.
/// </summary>
public sealed partial class TraceFile : IDisposable
{
    private readonly TraceReader _reader;
    private readonly List<ChunkInfo> _eventChunks;
    private readonly Dictionary<BlobId, List<ChunkInfo>> _blobs = [];
    private readonly BlobCache _recentBlobs = new(256 << 20);
    private readonly Dictionary<int, ChunkInfo> _checkpoints = [];
    private TraceSummary? _summary;
    private Tid? _processId;

    private TraceFile(TraceReader reader)
    {
        _reader = reader;
        _eventChunks = reader.Chunks.Where(c => c.Kind == ChunkKind.Events).OrderBy(c => c.Tag).ToList();
        foreach (var chunk in reader.Chunks)
        {
            if (chunk.Kind == ChunkKind.Checkpoint)
            {
                _checkpoints[(int)chunk.Tag] = chunk;
            }
            else if (chunk.Kind == ChunkKind.CheckpointPages)
            {
                AddCheckpointPart(chunk);
            }
        }
    }

    public static TraceFile Open(string path) => new(TraceReader.Open(path));

    public TraceHeader Header => _reader.Header;

    public TraceReader Reader => _reader;

    /// <summary>Null when the recording ended normally; otherwise where and why the trace ends.</summary>
    public string? RecoveryNote => _reader.RecoveryNote;

    public TraceSummary Summary => _summary ??= ReadSummary();

    public IReadOnlyCollection<int> CheckpointIndexes => _checkpoints.Keys;

    /// <summary>The checkpoints a replay can start from: those of the whole program, not of one process while others lived (<see cref="CheckpointSummary.Process"/>).</summary>
    public IEnumerable<CheckpointSummary> Starts => Summary.Checkpoints.Where(c => c.Process == null);

    /// <summary>
    /// The recorded process's id, which is its main thread's tid: the first event is that thread's
    /// (the program starts with one thread, and only it may exec). 1 for a trace with no event.
    /// </summary>
    public Tid ProcessId => _processId ??= Events().Select(e => e.Event.Tid).FirstOrDefault(new Tid(1));

    /// <summary>Events from <paramref name="first"/> on, decoded one chunk at a time.</summary>
    public IEnumerable<(long Index, TraceEvent Event)> Events(long first = 0)
    {
        foreach (var chunk in _eventChunks)
        {
            var r = new ByteReader(_reader.ReadPayload(chunk), $"events chunk at byte {chunk.Offset}");
            long time = r.VarS();
            long count = r.VarInt(int.MaxValue);
            long index = (long)chunk.Tag;
            if (index + count <= first)
            {
                continue;
            }
            for (long i = 0; i < count; i++, index++)
            {
                var e = EventCodec.Read(r, time);
                time = e.Time;
                if (index >= first)
                {
                    yield return (index, e);
                }
            }
        }
    }

    /// <summary>
    /// A mapped file past this size is stored sparsely (its holes and zero pieces left out) and
    /// read by range (<see cref="ReadBlobRange"/>), never assembled whole: a .NET array holds at
    /// most 2 GiB, and a 3 GB sparse file holds a few pages of data.
    /// </summary>
    public const long LargeBlob = 256L << 20;

    /// <summary>
    /// Calls <paramref name="piece"/> with each stored piece of blob <paramref name="id"/>, of
    /// <paramref name="size"/> bytes, that lies in [<paramref name="offset"/>, +<paramref name="length"/>),
    /// cut to it, with its place from <paramref name="offset"/>. What no piece holds is zeros.
    /// </summary>
    public void ReadBlobRange(BlobId id, ulong size, ulong offset, ulong length, Action<ulong, ReadOnlySpan<byte>> piece)
    {
        // Recorders before 2026-11-28 wrote no chunk at all for a large file of holes alone, whose
        // id is then the hash of its size and nothing else (BlobId.OfHoles): it reads as zeros.
        if (id == BlobId.OfHoles(size) && !HasBlob(id))
        {
            return;
        }
        foreach (var chunk in BlobChunks(id))
        {
            var r = new ByteReader(_reader.ReadPayload(chunk), $"blob {id}");
            r.Raw(32);
            ulong at = r.VarU();
            byte[] data = r.Raw(r.Remaining);
            if (at > chunk.Tag || (ulong)data.Length > chunk.Tag - at)
            {
                throw r.Bad("a piece beyond the blob's size");
            }
            ulong from = Math.Max(at, offset), to = Math.Min(at + (ulong)data.Length, offset + length);
            if (from < to)
            {
                piece(from - offset, data.AsSpan((int)(from - at), (int)(to - from)));
            }
        }
    }

    /// <summary>The content of a file the program mapped, assembled from its pieces (the last ones asked for are kept: callers must not change it).</summary>
    public byte[] Blob(BlobId id) => _recentBlobs.Get(id, Assemble);

    private List<ChunkInfo> BlobChunks(BlobId id) =>
        HasBlob(id) ? _blobs[id] : throw new TraceFormatException($"the trace lacks the content of a mapped file ({id})");

    private bool HasBlob(BlobId id)
    {
        if (_blobs.Count == 0)
        {
            IndexBlobs();
        }
        return _blobs.ContainsKey(id);
    }

    private byte[] Assemble(BlobId id)
    {
        var pieces = BlobChunks(id);
        if (pieces[0].Tag > LargeBlob)
        {
            throw new TraceFormatException($"a mapped file of {pieces[0].Tag >> 20} MiB is read by range, not whole ({id})");
        }
        var content = new byte[pieces[0].Tag];
        foreach (var piece in pieces)
        {
            var r = new ByteReader(_reader.ReadPayload(piece), $"blob {id}");
            r.Raw(32);
            int offset = r.VarInt(content.Length);
            byte[] data = r.Raw(r.Remaining);
            if (offset + data.Length > content.Length)
            {
                throw r.Bad("a piece beyond the blob's size");
            }
            data.CopyTo(content, offset);
        }
        return content;
    }

    private void IndexBlobs()
    {
        foreach (var chunk in _reader.Chunks.Where(c => c.Kind == ChunkKind.Blob))
        {
            var r = new ByteReader(_reader.ReadPayload(chunk), $"blob chunk at byte {chunk.Offset}");
            var id = BlobId.FromBytes(r.Raw(32));
            if (!_blobs.TryGetValue(id, out var list))
            {
                _blobs[id] = list = [];
            }
            list.Add(chunk);
        }
    }

    private TraceSummary ReadSummary()
    {
        if (_reader.IsComplete)
        {
            try
            {
                return JsonSerializer.Deserialize(_reader.Summary.Span, TraceJsonContext.Default.TraceSummary)
                    ?? throw new TraceFormatException("the trace's summary is empty");
            }
            catch (JsonException e)
            {
                throw new TraceFormatException($"the trace's summary is damaged: {e.Message}");
            }
        }
        // Cut short: count what is there.
        long count = 0, last = 0;
        ExitSummary? exit = null;
        var files = new Dictionary<string, FileSummary>();
        foreach (var (_, e) in Events())
        {
            count++;
            last = e.Time;
            if (e is ExitEvent x)
            {
                exit = new ExitSummary(x.Status.Code, x.Status.Signal, x.Status.CoreDumped);
            }
            if (e is SyscallEvent { Mapping: { } m })
            {
                files.TryAdd(m.Path, new FileSummary(m.Path, m.Blob.Hex, (long)m.FileSize));
            }
        }
        var checkpoints = _checkpoints.Keys.Order().Select(CheckpointSummaryOf).ToList();
        foreach (var region in checkpoints.Count > 0 ? Checkpoint(0).Regions : [])
        {
            if (region.File is { } f)
            {
                files.TryAdd(f.Path, new FileSummary(f.Path, f.Blob.Hex, (long)f.FileSize));
            }
        }
        long raw = _reader.Chunks.Sum(c => (long)c.RawLength);
        return new TraceSummary(count, last, exit, checkpoints, files.Values.ToList(), raw, RecoveryNote);
    }

    public void Dispose() => _reader.Dispose();
}
