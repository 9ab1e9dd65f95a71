using System.Text.Json;
using Rewind.Hibernation;

namespace Rewind.Trace;

public sealed partial class TraceFile
{
    /// <summary>A hibernation image's process state (its Process chunk); null for a recording.</summary>
    public ProcessResources? Process
    {
        get
        {
            var chunks = _reader.Chunks.Where(c => c.Kind == ChunkKind.Process).Take(1).ToList();
            if (chunks.Count == 0)
            {
                return null;
            }
            var chunk = chunks[0];
            try
            {
                return JsonSerializer.Deserialize(_reader.ReadPayload(chunk), TraceJsonContext.Default.ProcessResources)
                    ?? throw new TraceFormatException("the image's process state is empty");
            }
            catch (JsonException e)
            {
                throw new TraceFormatException($"the image's process state is damaged: {e.Message}");
            }
        }
    }
}
