using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// Keeps in the trace what a later .NET debugging session needs and the program never maps, so
/// that the trace debugs on a machine without the app or its runtime: when the program maps a
/// runtime's libcoreclr.so, the data-access library of that exact runtime (libmscordaccore.so in
/// the same directory, which ClrMD loads to read the runtime's structures); when it maps an
/// assembly, the portable PDB beside it (its sequence points give C# lines).
/// </summary>
internal sealed class DebugFileKeeper(TraceWriter writer, BlobStore blobs)
{
    private const string Runtime = "libcoreclr.so", DataAccess = "libmscordaccore.so";

    // A portable PDB is ECMA-335 metadata: it starts with the metadata signature "BSJB"
    // (Portable PDB v1.0 format specification). Windows PDBs (MSF) are of no use here.
    private static readonly byte[] MetadataSignature = "BSJB"u8.ToArray();

    // The mapped files already looked at: ld.so and the runtime map each file several times.
    private readonly HashSet<string> _seen = [];

    /// <summary>Keeps the debug file that goes with <paramref name="mapped"/>, a file the program just mapped, if it has one.</summary>
    public void Mapped(string mapped)
    {
        if (!_seen.Add(mapped) || Path.GetDirectoryName(mapped) is not { Length: > 0 } directory)
        {
            return;
        }
        string name = Path.GetFileName(mapped);
        if (name == Runtime)
        {
            Keep(Path.Combine(directory, DataAccess), portablePdb: false);
        }
        else if (name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            Keep(Path.ChangeExtension(mapped, ".pdb"), portablePdb: true);
        }
    }

    private void Keep(string path, bool portablePdb)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Absent or unreadable: the debugger says what the trace lacks when it needs it.
            return;
        }
        if (portablePdb && !content.AsSpan().StartsWith(MetadataSignature))
        {
            return;
        }
        var file = new DebugFile(path, blobs.Add(content), content.Length);
        writer.WriteChunk(ChunkKind.DebugFile, 0, file.Encode());
    }
}
