using Rewind.Linux;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// Large ranges go past the page cache in their page-aligned middle and through it at the edges:
/// whatever the offsets, the file must hold exactly the bytes written, and read back the same way.
/// </summary>
public sealed class DirectFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rewind-direct-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<long, int> Ranges => new()
    {
        { 0, DirectFile.Threshold },
        { 1, DirectFile.Threshold },
        { 4095, DirectFile.Threshold + 1 },
        { 4096, (9 << 20) + 17 },       // more than one bounce buffer
        { 12345, DirectFile.Threshold - 1 }, // small: all through the page cache
        { 100_001, 3 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void A_range_written_reads_back_the_same_both_ways(long offset, int length)
    {
        string path = Path.Combine(_dir, "file");
        byte[] before = Bytes(offset + length + 5000, 1);
        File.WriteAllBytes(path, before);
        byte[] data = Bytes(length, 2);

        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        using (var direct = new DirectFile(file, path, write: true))
        {
            direct.Write(data, offset);
        }

        byte[] expected = (byte[])before.Clone();
        data.CopyTo(expected, offset);
        Assert.Equal(expected, File.ReadAllBytes(path));
        using var reader = File.OpenHandle(path);
        using var directReader = new DirectFile(reader, path, write: false);
        var back = new byte[length];
        Assert.Equal(length, directReader.Read(back, offset));
        Assert.Equal(data, back);
    }

    [Fact]
    public void A_read_past_the_end_returns_what_is_there()
    {
        string path = Path.Combine(_dir, "short");
        byte[] content = Bytes((3 << 20) + 123, 3);
        File.WriteAllBytes(path, content);
        using var file = File.OpenHandle(path);
        using var direct = new DirectFile(file, path, write: false);

        var buffer = new byte[4 << 20];
        int n = direct.Read(buffer, 1000);

        Assert.Equal(content.Length - 1000, n);
        Assert.Equal(content.AsSpan(1000).ToArray(), buffer.AsSpan(0, n).ToArray());
    }

    private static byte[] Bytes(long length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
