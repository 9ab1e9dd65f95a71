using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The manifest of a .NET single-file app (dotnet publish -p:PublishSingleFile=true): the host
/// executable with the app's files appended. The host carries a 32-byte bundle signature, and
/// before it the offset of the bundle header, which is followed by one entry per bundled file
/// (the SDK's Microsoft.NET.HostModel Bundler writes them; the host's bundle reader reads them).
/// </summary>
internal sealed record SingleFileBundle(IReadOnlyList<SingleFileBundle.Entry> Files)
{
    /// <summary>A bundled file: where its bytes lie in the app, and their size (compressed, where <paramref name="CompressedSize"/> is not 0).</summary>
    public sealed record Entry(string Path, byte Type, long Offset, long Size, long CompressedSize);

    // SHA-256 of ".net core bundle", the marker the SDK's HostWriter searches for.
    private static readonly byte[] Signature =
    [
        0x8b, 0x12, 0x02, 0xb9, 0x6a, 0x61, 0x20, 0x38, 0x72, 0x7b, 0x93, 0x02, 0x14, 0xd7, 0xa0, 0x32,
        0x13, 0xf5, 0xb9, 0xe6, 0xef, 0xae, 0x33, 0x18, 0xee, 0x3b, 0x2d, 0xce, 0x24, 0xb3, 0x6a, 0xae,
    ];

    private const byte AssemblyEntry = 1;

    /// <summary>The bundled assemblies, by their paths in the bundle.</summary>
    public IEnumerable<string> Assemblies => Files.Where(f => f.Type == AssemblyEntry).Select(f => f.Path);

    /// <summary>
    /// The bytes of the file bundled at <paramref name="path"/> in <paramref name="app"/> (the bundle's
    /// own file), inflated where the bundle compressed it (EnableCompressionInSingleFile: raw
    /// Deflate, as the host's extractor reads it); null where none is, or its bytes are damaged.
    /// </summary>
    public byte[]? Content(ReadOnlySpan<byte> app, string path)
    {
        if (Files.FirstOrDefault(f => f.Path == path) is not { } f)
        {
            return null;
        }
        long stored = f.CompressedSize != 0 ? f.CompressedSize : f.Size;
        if (f.Offset < 0 || stored < 0 || f.Size < 0 || f.Size > Array.MaxLength || f.Offset + stored > app.Length)
        {
            return null;
        }
        var bytes = app.Slice((int)f.Offset, (int)stored);
        if (f.CompressedSize == 0)
        {
            return bytes.ToArray();
        }
        try
        {
            using var inflate = new DeflateStream(new MemoryStream(bytes.ToArray()), CompressionMode.Decompress);
            var content = new byte[f.Size];
            inflate.ReadExactly(content);
            return content;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return null;
        }
    }

    private const int MaxEntries = 100_000;

    /// <summary>The bundle in <paramref name="file"/>; null for a file that is not one (an apphost's placeholder offset is 0).</summary>
    public static SingleFileBundle? Read(ReadOnlySpan<byte> file)
    {
        int signature = file.IndexOf(Signature);
        if (signature < sizeof(long))
        {
            return null;
        }
        long header = BinaryPrimitives.ReadInt64LittleEndian(file[(signature - sizeof(long))..]);
        if (header <= 0 || header >= file.Length)
        {
            return null;
        }
        try
        {
            return new SingleFileBundle(ReadEntries(new SpanReader(file[(int)header..])));
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static List<Entry> ReadEntries(SpanReader r)
    {
        uint major = r.U32();
        r.U32();
        int count = r.S32();
        if (count is < 0 or > MaxEntries)
        {
            throw new InvalidDataException($"{count} bundled files");
        }
        Text(ref r);
        if (major >= 2)
        {
            // The locations of deps.json and runtimeconfig.json (offset and size each), then the flags.
            r.Skip(5 * sizeof(long));
        }
        var entries = new List<Entry>();
        for (int i = 0; i < count; i++)
        {
            // Offset, size and (from version 6, .NET 6) compressed size, then the type and the relative path.
            long offset = r.S64(), size = r.S64(), compressed = major >= 6 ? r.S64() : 0;
            byte type = r.U8();
            entries.Add(new Entry(Text(ref r), type, offset, size, compressed));
        }
        return entries;
    }

    /// <summary>A string as .NET's BinaryWriter writes it: its UTF-8 length as a 7-bit encoded integer, then the bytes.</summary>
    private static string Text(ref SpanReader r) => Encoding.UTF8.GetString(r.Bytes(r.Uleb()));
}
