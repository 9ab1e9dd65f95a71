namespace Rewind.Trace;

/// <summary>
/// What a chunk holds. The values are part of the file format (docs/trace-format.md):
/// never renumber; a reader lists chunks of kinds it does not know and skips them.
/// </summary>
public enum ChunkKind : uint
{
    Header = 1,
    Events = 2,
    Blob = 3,
    Checkpoint = 4,
    Index = 5,
    /// <summary>Page runs of a checkpoint too big for one chunk; the Checkpoint chunk names how many.</summary>
    CheckpointPages = 6,
    /// <summary>A hibernation image's process state beyond its checkpoint: descriptors, limits, layout (JSON).</summary>
    Process = 7,
    /// <summary>A file the program did not map that a debugger needs (.NET's data-access library, portable PDBs): its path and blob.</summary>
    DebugFile = 8,
    /// <summary>A recording's checkpoint's process state beyond its image, as in a Process chunk, for a live resume of it; the tag is the checkpoint's index.</summary>
    CheckpointProcess = 9,
}
