using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// Keeps in the trace the debug files that go with the files the program maps, as <see cref="IDebugFileFinder"/>
/// names them: each in a DebugFile chunk, under the path it was read from.
/// </summary>
internal sealed class DebugFileKeeper(TraceWriter writer, BlobStore blobs, IDebugFileFinder? finder, Action<string> note)
{
    // The mapped files already looked at (ld.so and the runtime map each file several times) and the debug files kept.
    private readonly HashSet<string> _seen = [], _kept = [];

    /// <summary>Keeps the debug files that go with <paramref name="mapped"/>, a file the program just mapped.</summary>
    public void Mapped(string mapped)
    {
        if (finder == null || !_seen.Add(mapped))
        {
            return;
        }
        foreach (string path in finder.FilesFor(mapped, note).Where(_kept.Add))
        {
            Keep(path);
        }
    }

    /// <summary>Stores the debug file at <paramref name="path"/> as a mapped file is, through the cache of files kept across recordings, but not among the program's files.</summary>
    private void Keep(string path)
    {
        (BlobId Id, long Size) blob;
        try
        {
            blob = blobs.Add(path, displayPath: null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone since it was found: the debugger says what the trace lacks when it needs it.
            return;
        }
        var file = new DebugFile(path, blob.Id, blob.Size);
        // Queued after its blob's chunks, as they are: written, it would wait for every chunk queued
        // before it (a .NET runtime's data-access library, kept as libcoreclr.so is mapped, waited
        // for libcoreclr.so's own chunks; 12 ms of the tracer's time in `dotnet Hello.dll`).
        writer.QueueChunk(ChunkKind.DebugFile, 0, file.Encode(), []);
    }
}
