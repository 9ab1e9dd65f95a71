using Rewind.Cli.Gdb;
using Rewind.Trace;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>Which recorded file gdb gets for a path the program names (vFile:open).</summary>
public sealed class RecordedFilesTests
{
    private static readonly BlobId Libc = BlobId.Of("libc"u8), Stdcxx = BlobId.Of("libstdc++"u8), Icu = BlobId.Of("icu"u8), Icu74 = BlobId.Of("icu74"u8);

    private static readonly Dictionary<string, BlobId> Files = new()
    {
        ["/usr/lib/x86_64-linux-gnu/libc.so.6"] = Libc,
        ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"] = Stdcxx,
        ["/usr/lib/x86_64-linux-gnu/libicuuc.so.72.1"] = Icu,
        ["/opt/icu/libicuuc.so.72.4"] = Icu74,
    };

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libc.so.6", "libc")]
    [InlineData("/lib/x86_64-linux-gnu/libc.so.6", "libc")]
    [InlineData("/lib/x86_64-linux-gnu/libstdc++.so.6", "libstdc++")]
    public void A_path_finds_its_file_by_link_or_soname(string path, string content) =>
        Assert.Equal(BlobId.Of(System.Text.Encoding.UTF8.GetBytes(content)), RecordedProcess.FindFile(Files, path));

    [Theory]
    [InlineData("/lib/x86_64-linux-gnu/libicuuc.so.72")] // two files start so: no guess
    [InlineData("/lib/x86_64-linux-gnu/libm.so.6")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libcrypt.so.1")]
    public void An_ambiguous_or_unknown_path_finds_nothing(string path) => Assert.Null(RecordedProcess.FindFile(Files, path));
}
