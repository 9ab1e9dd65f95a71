using Rewind.Linux;

namespace Rewind.Core.Tests.Trace;

/// <summary>
/// Large ranges go past the page cache in their page-aligned middle and through it at the edges:
/// whatever the offsets, the file must hold exactly the bytes written.
/// </summary>
public sealed class DirectWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rewind-direct-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<long, int> Ranges => new()
    {
        { 0, DirectWriter.Threshold },
        { 1, DirectWriter.Threshold },
        { 4095, DirectWriter.Threshold + 1 },
        { 4096, (9 << 20) + 17 },       // more than one bounce buffer
        { 12345, DirectWriter.Threshold - 1 }, // small: all through the page cache
        { 100_001, 3 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void A_range_written_reads_back_the_same(long offset, int length)
    {
        string path = Path.Combine(_dir, "file");
        byte[] before = Bytes(offset + length + 5000, 1);
        File.WriteAllBytes(path, before);
        byte[] data = Bytes(length, 2);

        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        using (var direct = new DirectWriter(file, path))
        {
            direct.Write(data, offset);
        }

        byte[] expected = (byte[])before.Clone();
        data.CopyTo(expected, offset);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Writes_past_the_end_extend_the_file()
    {
        string path = Path.Combine(_dir, "grows");
        File.WriteAllBytes(path, [1, 2, 3]);
        byte[] data = Bytes((3 << 20) + 123, 3);

        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        using (var direct = new DirectWriter(file, path))
        {
            direct.Write(data, 3);
        }

        Assert.Equal([1, 2, 3, .. data], File.ReadAllBytes(path));
    }

    private static byte[] Bytes(long length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
