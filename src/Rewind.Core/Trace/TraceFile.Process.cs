using System.Text.Json;
using Rewind.Hibernation;

namespace Rewind.Trace;

public sealed partial class TraceFile
{
    /// <summary>A hibernation image's process state (its Process chunk); null for a recording.</summary>
    public ProcessResources? Process => ProcessState(ChunkKind.Process, 0, "the image's process state");

    /// <summary>
    /// The process state a recorder kept with checkpoint <paramref name="index"/> for a live resume
    /// (its CheckpointProcess chunk); null where it kept none: one process's image alone while others
    /// lived, or a trace recorded before they were kept (for moments of several processes, before those).
    /// </summary>
    public ProcessResources? ProcessAt(int index) => ProcessState(ChunkKind.CheckpointProcess, (ulong)index, $"the process state of checkpoint {index}");

    /// <summary>Whether the recorder kept any checkpoint's process state: traces recorded before it did have none.</summary>
    public bool KeepsProcessStates => _reader.Chunks.Any(c => c.Kind == ChunkKind.CheckpointProcess);

    private ProcessResources? ProcessState(ChunkKind kind, ulong tag, string what)
    {
        var chunk = _reader.Chunks.FirstOrDefault(c => c.Kind == kind && c.Tag == tag);
        // None found: the default has kind 0, which no chunk has.
        if (chunk.Kind != kind)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(_reader.ReadPayload(chunk), TraceJsonContext.Default.ProcessResources)
                ?? throw new TraceFormatException($"{what} is empty");
        }
        catch (JsonException e)
        {
            throw new TraceFormatException($"{what} is damaged: {e.Message}");
        }
    }
}
