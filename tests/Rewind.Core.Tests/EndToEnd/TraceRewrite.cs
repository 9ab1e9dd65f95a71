using Rewind.Trace;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>A trace made into another by changing one event: what replay must notice.</summary>
internal static class TraceRewrite
{
    /// <summary>Copies a trace chunk by chunk, with event <paramref name="index"/> replaced by what <paramref name="change"/> makes of it.</summary>
    public static void Rewrite(string from, string to, long index, Func<TraceEvent, TraceEvent> change)
    {
        using var reader = TraceReader.Open(from);
        using var writer = TraceWriter.Create(to, reader.Header);
        foreach (var chunk in reader.Chunks)
        {
            byte[] payload = reader.ReadPayload(chunk);
            if (chunk.Kind == ChunkKind.Events)
            {
                var r = new ByteReader(payload, "events");
                var w = new ByteWriter();
                long time = r.VarS();
                int count = r.VarInt(int.MaxValue);
                w.VarS(time);
                w.VarU((ulong)count);
                for (long i = (long)chunk.Tag; i < (long)chunk.Tag + count; i++)
                {
                    var e = EventCodec.Read(r, time);
                    EventCodec.Write(w, i == index ? change(e) : e, time);
                    time = e.Time;
                }
                payload = w.WrittenSpan.ToArray();
            }
            writer.WriteChunk(chunk.Kind, chunk.Tag, payload);
        }
        writer.Complete(reader.Summary.Span);
    }
}
