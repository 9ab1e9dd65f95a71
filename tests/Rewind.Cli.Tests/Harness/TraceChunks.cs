using System.Buffers.Binary;

namespace Rewind.Cli.Tests.Harness;

/// <summary>
/// The chunks of a trace file, found by walking the container as docs/trace-format.md
/// describes it (16-byte prologue, then 24-byte chunk headers each followed by its stored
/// payload), so that a test can damage one chunk of a chosen kind.
/// </summary>
internal static class TraceChunks
{
    public const int Header = 1, Events = 2, Blob = 3, Checkpoint = 4, Index = 5, CheckpointPages = 6, Process = 7, CheckpointProcess = 9;

    public readonly record struct Chunk(int Number, long Offset, uint Kind, ulong Tag, uint StoredLength)
    {
        public long PayloadOffset => Offset + 24;

        public string KindName => Kind switch
        {
            Header => "Header",
            Events => "Events",
            Blob => "Blob",
            Checkpoint => "Checkpoint",
            Index => "Index",
            CheckpointPages => "CheckpointPages",
            Process => "Process",
            CheckpointProcess => "CheckpointProcess",
            _ => $"kind {Kind}",
        };
    }

    public static List<Chunk> Walk(byte[] trace)
    {
        var chunks = new List<Chunk>();
        long offset = 16;
        int number = 0;
        while (offset + 24 <= trace.Length)
        {
            ReadOnlySpan<byte> h = trace.AsSpan((int)offset, 24);
            uint kind = BinaryPrimitives.ReadUInt32LittleEndian(h);
            ulong tag = BinaryPrimitives.ReadUInt64LittleEndian(h[4..]);
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(h[16..]);
            if (kind == 0 || offset + 24 + stored > trace.Length)
                break;
            // Chunk numbers count neither the Header nor the Index chunk.
            chunks.Add(new Chunk(kind is Header or Index ? -1 : number++, offset, kind, tag, stored));
            offset += 24 + stored;
            if (kind == Index)
                break;
        }
        return chunks;
    }
}
