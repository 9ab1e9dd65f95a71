using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Rewind.Trace;

/// <summary>
/// Reads a trace file: the header and the chunk list at <see cref="Open"/>, payloads on
/// demand. A trace without a valid footer (its recorder was killed) is recovered by
/// scanning. Every length read from the file is checked against fixed caps and the file
/// size before use, so damaged bytes give a one-line <see cref="TraceFormatException"/>,
/// never a crash, a huge allocation or a loop. Payload reads are positioned (pread) and
/// may run on several threads at once.
/// </summary>
public sealed partial class TraceReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly string _name;
    private List<ChunkInfo> _chunks = [];
    private long _firstChunk;

    private TraceReader(SafeFileHandle file, string name, long length)
    {
        _file = file;
        _name = name;
        FileLength = length;
    }

    public TraceHeader Header { get; private set; } = null!;

    /// <summary>The chunks in file order, numbered from 0; the Header and Index chunks are not listed.</summary>
    public IReadOnlyList<ChunkInfo> Chunks => _chunks;

    /// <summary>True when the footer (Index chunk and trailer) is present and valid.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The recorder's opaque summary from the Index chunk; empty when not complete.</summary>
    public ReadOnlyMemory<byte> Summary { get; private set; }

    /// <summary>When not complete: one line saying where the trace ends and what was dropped.</summary>
    public string? RecoveryNote { get; private set; }

    /// <summary>The file's size when it was opened.</summary>
    public long FileLength { get; }

    public static TraceReader Open(string path)
    {
        SafeFileHandle file;
        try
        {
            // FileShare.ReadWrite: a trace still being recorded may be opened (and recovered).
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceFormatException($"{path}: cannot open: {OneLine(e.Message)}");
        }
        var reader = new TraceReader(file, path, RandomAccess.GetLength(file));
        try
        {
            reader.ReadPrologue();
            reader.ReadHeaderChunk();
            string? footerProblem = reader.TryReadFooter();
            if (!reader.IsComplete)
                reader.Recover(footerProblem);
            return reader;
        }
        catch (InvalidDataException e)
        {
            // The file shrank under us while it was read (e.g. truncated by another process).
            reader.Dispose();
            throw reader.Format(e.Message);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The decompressed payload of <paramref name="chunk"/>, checksum and size verified.</summary>
    public byte[] ReadPayload(ChunkInfo chunk)
    {
        byte[] raw = new byte[chunk.RawLength];
        ReadPayload(chunk, raw);
        return raw;
    }

    /// <summary>Decompresses the payload of <paramref name="chunk"/> into <paramref name="raw"/>, exactly its raw length, checksum verified.</summary>
    public void ReadPayload(ChunkInfo chunk, Span<byte> raw)
    {
        if (raw.Length != chunk.RawLength)
            throw new ArgumentException($"the payload takes {chunk.RawLength} bytes, not {raw.Length}", nameof(raw));
        int number = _chunks.BinarySearch(chunk, OffsetOrder.Instance);
        if (number < 0 || _chunks[number] != chunk)
            throw new ArgumentException($"no chunk of {_name} starts at byte {chunk.Offset} with these lengths", nameof(chunk));
        try
        {
            ReadChunkPayload(chunk, raw);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(number, chunk, e.Message);
        }
    }

    /// <summary>
    /// Verifies the checksums of <paramref name="chunks"/>, each streamed and not kept: a damaged
    /// one throws as <see cref="ReadPayload(ChunkInfo)"/> would when it came to it.
    /// </summary>
    public void VerifyChecksums(IEnumerable<ChunkInfo> chunks)
    {
        Span<byte> hb = stackalloc byte[TraceFormat.ChunkHeaderSize];
        foreach (var chunk in chunks)
        {
            try
            {
                ChunkHeader h = ReadIndexedHeader(chunk, hb);
                if (!ChecksumMatches(hb, h, chunk.Offset))
                    throw new InvalidDataException("checksum mismatch");
            }
            catch (InvalidDataException e)
            {
                throw Damaged(_chunks.BinarySearch(chunk, OffsetOrder.Instance), chunk, e.Message);
            }
        }
    }

    private TraceFormatException Damaged(int number, ChunkInfo chunk, string detail) =>
        new($"{_name}: chunk {number} ({KindName(chunk.Kind)} at byte {chunk.Offset}) is damaged: {detail}");

    public void Dispose() => _file.Dispose();

    private void ReadPrologue()
    {
        if (FileLength == 0)
            throw Format("not a Rewind trace (the file is empty)");
        Span<byte> prologue = stackalloc byte[TraceFormat.PrologueSize];
        int n = ReadAt(prologue, 0);
        if (n < TraceFormat.FileMagic.Length || !prologue[..TraceFormat.FileMagic.Length].SequenceEqual(TraceFormat.FileMagic))
            throw Format("not a Rewind trace (no RWNDTRC magic at its start)");
        if (n < TraceFormat.PrologueSize)
            throw Format($"truncated trace: the file ends at byte {n}, inside its 16-byte prologue");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(prologue[8..]);
        if (version == 0)
            throw Format("not a Rewind trace (format version 0)");
        if (version > TraceFormat.CurrentVersion)
            throw new TraceFormatException($"{_name} was written by a newer Rewind (format {version}; this one reads up to {TraceFormat.CurrentVersion})");
    }

    private void ReadHeaderChunk()
    {
        long offset = TraceFormat.PrologueSize;
        long available = FileLength - offset - TraceFormat.ChunkHeaderSize;
        if (available < 0)
            throw Format($"truncated trace: the file ends at byte {FileLength}, inside the header chunk");
        Span<byte> hb = stackalloc byte[TraceFormat.ChunkHeaderSize];
        ReadAt(hb, offset);
        ChunkHeader h = ChunkHeader.Read(hb);
        if (h.Kind != ChunkKind.Header)
            throw Format($"not a Rewind trace (its first chunk is of kind {(uint)h.Kind}, not the header)");
        if (h.Problem(available) is { } problem)
            throw Format($"the header chunk is damaged: {problem}");
        if (h.StoredLength > available)
            throw Format($"truncated trace: the file ends at byte {FileLength}, inside the header chunk");
        ChunkInfo info = h.ToInfo(offset);
        byte[] json;
        try
        {
            json = ReadChunkPayload(info);
        }
        catch (InvalidDataException e)
        {
            throw Format($"the header chunk is damaged: {e.Message}");
        }
        Header = ParseHeader(json);
        _firstChunk = info.End;
    }

    private TraceHeader ParseHeader(byte[] json)
    {
        TraceHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(json, TraceJsonContext.Default.TraceHeader);
        }
        catch (JsonException e)
        {
            throw Format($"the trace header is not valid: {OneLine(e.Message)}");
        }
        if (header is null || header.CommandLine.Contains(null!) || header.Environment.Contains(null!) ||
            header.Machine.CpuFlags.Contains(null!))
            throw Format("the trace header is not valid: a required value is null");
        return header;
    }

    private static string KindName(ChunkKind kind) => Enum.IsDefined(kind) ? kind.ToString() : $"kind {(uint)kind}";

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private TraceFormatException Format(string detail) => new($"{_name}: {detail}");

    /// <summary>Orders chunks by offset, which is file order: the list is sorted by construction.</summary>
    private sealed class OffsetOrder : IComparer<ChunkInfo>
    {
        public static readonly OffsetOrder Instance = new();

        public int Compare(ChunkInfo x, ChunkInfo y) => x.Offset.CompareTo(y.Offset);
    }
}
