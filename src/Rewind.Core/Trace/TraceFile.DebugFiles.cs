namespace Rewind.Trace;

public sealed partial class TraceFile
{
    private IReadOnlyList<DebugFile>? _debugFiles;

    /// <summary>The files kept for debuggers (DebugFile chunks), in the order the recorder kept them.</summary>
    public IReadOnlyList<DebugFile> DebugFiles => _debugFiles ??=
        [.. _reader.Chunks.Where(c => c.Kind == ChunkKind.DebugFile).Select(c => DebugFile.Read(new ByteReader(_reader.ReadPayload(c), $"debug file chunk at byte {c.Offset}")))];

    /// <summary>The content of the kept file recorded at <paramref name="path"/>; null when the trace holds none.</summary>
    public byte[]? DebugFileContent(string path) =>
        DebugFiles.FirstOrDefault(f => f.Path == path) is { } file ? Blob(file.Blob) : null;
}
