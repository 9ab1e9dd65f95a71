using System.IO.Compression;
using System.Text;
using Rewind.Symbols.Dotnet;

namespace Rewind.Symbols.Tests.Dotnet;

/// <summary>
/// A single-file app's manifest, from hand-made bundles in the layout the SDK's Bundler writes:
/// the host's bundle signature with the header's offset before it, then the header and one
/// entry per bundled file.
/// </summary>
public sealed class SingleFileBundleTests
{
    private static readonly byte[] Signature =
    [
        0x8b, 0x12, 0x02, 0xb9, 0x6a, 0x61, 0x20, 0x38, 0x72, 0x7b, 0x93, 0x02, 0x14, 0xd7, 0xa0, 0x32,
        0x13, 0xf5, 0xb9, 0xe6, 0xef, 0xae, 0x33, 0x18, 0xee, 0x3b, 0x2d, 0xce, 0x24, 0xb3, 0x6a, 0xae,
    ];

    private static readonly (byte Type, string Path)[] Files = [(1, "App.dll"), (4, "App.runtimeconfig.json"), (1, "lib/Other.dll"), (3, "App.deps.json")];

    [Fact]
    public void Lists_the_bundled_assemblies()
    {
        Assert.Equal(["App.dll", "lib/Other.dll"], SingleFileBundle.Read(Bundle(6, Files))?.Assemblies);
    }

    [Fact]
    public void Reads_a_version_2_manifest_whose_entries_have_no_compressed_size()
    {
        Assert.Equal(["App.dll", "lib/Other.dll"], SingleFileBundle.Read(Bundle(2, Files))?.Assemblies);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_a_bundled_file_s_bytes_stored_or_compressed(bool compress)
    {
        byte[] app = Bundle(6, Files, compress);
        var bundle = SingleFileBundle.Read(app)!;
        Assert.Equal(Encoding.UTF8.GetBytes(ContentOf("lib/Other.dll")), bundle.Content(app, "lib/Other.dll"));
        Assert.Null(bundle.Content(app, "Missing.dll"));
    }

    [Fact]
    public void A_compressed_file_whose_bytes_are_damaged_has_none()
    {
        byte[] app = Bundle(6, Files, compress: true);
        var bundle = SingleFileBundle.Read(app)!;
        var other = bundle.Files.Single(f => f.Path == "lib/Other.dll");
        app.AsSpan((int)other.Offset, (int)other.CompressedSize).Fill(0xff);
        Assert.Null(bundle.Content(app, "lib/Other.dll"));
    }

    [Fact]
    public void An_apphost_that_bundles_nothing_is_no_bundle()
    {
        // The apphost carries the signature with a header offset of 0 until the Bundler fills it in.
        byte[] host = [.. new byte[64], .. new byte[8], .. Signature, .. new byte[64]];
        Assert.Null(SingleFileBundle.Read(host));
        Assert.Null(SingleFileBundle.Read(new byte[256]));
    }

    [Fact]
    public void Truncated_at_every_byte_is_refused()
    {
        byte[] bundle = Bundle(6, Files);
        int header = ManifestAt(bundle);
        for (int cut = 0; cut < bundle.Length; cut++)
        {
            var read = SingleFileBundle.Read(bundle.AsSpan(0, cut));
            // A cut that leaves every entry whole but the last reads as no bundle, never as part of one.
            Assert.True(read == null, $"cut at {cut} (header at {header}) read {read}");
        }
    }

    [Fact]
    public void An_entry_count_past_the_cap_is_refused()
    {
        byte[] bundle = Bundle(6, Files);
        int header = ManifestAt(bundle);
        BitConverter.TryWriteBytes(bundle.AsSpan(header + 8), int.MaxValue);
        Assert.Null(SingleFileBundle.Read(bundle));
    }

    /// <summary>Where the manifest starts: the offset the host keeps before the signature.</summary>
    private static int ManifestAt(byte[] bundle) => (int)BitConverter.ToInt64(bundle, bundle.AsSpan().IndexOf(Signature) - sizeof(long));

    private static string ContentOf(string path) => string.Concat(Enumerable.Repeat($"the bytes of {path}; ", 20));

    /// <summary>
    /// A host (zeros, the header offset, the signature), each file's bytes (raw Deflate where
    /// <paramref name="compress"/>, as the Bundler's EnableCompressionInSingleFile), then the manifest.
    /// </summary>
    private static byte[] Bundle(uint version, (byte Type, string Path)[] files, bool compress = false)
    {
        using var bundle = new MemoryStream();
        bundle.Write(new byte[64]);
        long headerAt = bundle.Position;
        bundle.Write(new byte[8]);
        bundle.Write(Signature);
        var placed = new List<(long Offset, long Size, long Compressed)>();
        foreach (var (_, path) in files)
        {
            byte[] content = Encoding.UTF8.GetBytes(ContentOf(path));
            long offset = bundle.Position;
            if (compress)
            {
                using (var deflate = new DeflateStream(bundle, CompressionLevel.Optimal, leaveOpen: true))
                {
                    deflate.Write(content);
                }
                placed.Add((offset, content.Length, bundle.Position - offset));
            }
            else
            {
                bundle.Write(content);
                placed.Add((offset, content.Length, 0));
            }
        }
        long header = bundle.Position;
        using (var w = new BinaryWriter(bundle, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(version);
            w.Write(0u);
            w.Write(files.Length);
            w.Write("bundle-id");
            if (version >= 2)
            {
                for (int i = 0; i < 5; i++)
                {
                    w.Write(0L);
                }
            }
            for (int i = 0; i < files.Length; i++)
            {
                w.Write(placed[i].Offset);
                w.Write(placed[i].Size);
                if (version >= 6)
                {
                    w.Write(placed[i].Compressed);
                }
                w.Write(files[i].Type);
                w.Write(files[i].Path);
            }
        }
        byte[] app = bundle.ToArray();
        BitConverter.TryWriteBytes(app.AsSpan((int)headerAt), header);
        return app;
    }
}
