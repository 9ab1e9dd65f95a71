using Rewind.Trace;

namespace Rewind.Core.Tests.Codecs;

/// <summary>The DebugFile chunk's payload (docs/trace-format.md, kind 8): read back as written, bad bytes refused in one line.</summary>
public sealed class DebugFileCodecTests
{
    private static readonly DebugFile Dac = new(
        "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libmscordaccore.so", BlobId.Of("dac"u8), 2_401_968);

    [Fact]
    public void A_debug_file_reads_back_as_written()
    {
        var read = DebugFile.Read(new ByteReader(Dac.Encode(), "test payload"));
        Assert.Equal(Dac, read);
    }

    [Fact]
    public void Truncated_at_every_byte_is_refused()
    {
        byte[] bytes = Dac.Encode();
        for (int length = 0; length < bytes.Length; length++)
        {
            BadBytes.Rejected(bytes.AsMemory(0, length), r => DebugFile.Read(r));
        }
    }

    [Fact]
    public void Bytes_after_the_size_are_refused()
    {
        byte[] bytes = [.. Dac.Encode(), 0];
        var e = BadBytes.Rejected(bytes, r => DebugFile.Read(r));
        Assert.Contains("bytes after the file's size", e.Message);
    }
}
