namespace Rewind.Trace;

/// <summary>
/// A file kept for a later debugging session that the program itself never mapped: the .NET
/// runtime's data-access library (libmscordaccore.so, which ClrMD loads to read the runtime's
/// structures) and the portable PDBs beside the assemblies the program mapped. Its bytes are a
/// blob; the DebugFile chunk names it (docs/trace-format.md).
/// </summary>
public sealed record DebugFile(string Path, BlobId Blob, long Size)
{
    public byte[] Encode()
    {
        var w = new ByteWriter();
        w.String(Path);
        w.Raw(Blob.ToBytes());
        w.VarU((ulong)Size);
        return w.WrittenSpan.ToArray();
    }

    /// <summary>Reads a DebugFile chunk's whole payload; bad bytes throw <see cref="TraceFormatException"/>.</summary>
    public static DebugFile Read(ByteReader r)
    {
        string path = r.String();
        var blob = BlobId.FromBytes(r.Raw(32));
        long size = (long)r.VarU();
        return r.AtEnd ? new DebugFile(path, blob, size) : throw r.Bad("bytes after the file's size");
    }
}
