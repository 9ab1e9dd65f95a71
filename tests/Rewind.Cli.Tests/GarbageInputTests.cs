using System.Text;
using Rewind.Cli.Tests.Harness;

namespace Rewind.Cli.Tests;

/// <summary>Input that was never a trace, and a program that does not exist: one line, non-zero exit.</summary>
public sealed class GarbageInputTests
{
    public static TheoryData<string> Kinds => new("empty", "random", "text", "elf", "magic-only");

    [Fact]
    public async Task RecordingAMissingProgramFailsWithOneLine()
    {
        using var dir = new TempDirectory("record");
        ProcessResult r = await RewindCli.RecordAsync(dir.File("x.rwd"), dir.Path, "./does-not-exist", ["arg"]);
        Expect.OneLineError(r);
        Assert.Contains("does-not-exist", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayingAMissingFileFailsWithOneLine()
    {
        using var dir = new TempDirectory("replay");
        ProcessResult r = await RewindCli.ReplayAsync("nothing-here.rwd", dir.Path);
        Expect.OneLineError(r);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ReplayOfANonTraceFailsWithOneLine(string kind)
    {
        using var dir = new TempDirectory("replay");
        await File.WriteAllBytesAsync(dir.File("bad.rwd"), Make(kind));
        Expect.OneLineError(await RewindCli.ReplayAsync("bad.rwd", dir.Path));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task InfoAndDumpOfANonTraceFailWithOneLine(string kind)
    {
        using var dir = new TempDirectory("info");
        await File.WriteAllBytesAsync(dir.File("bad.rwd"), Make(kind));
        Expect.OneLineError(await RewindCli.InfoAsync("bad.rwd", dir.Path));
        Expect.OneLineError(await RewindCli.InfoAsync("bad.rwd", dir.Path, json: true));
        Expect.OneLineError(await RewindCli.DumpAsync("bad.rwd", dir.Path));
    }

    private static byte[] Make(string kind)
    {
        switch (kind)
        {
            case "empty":
                return [];
            case "random":
                var bytes = new byte[64 * 1024];
                new Random(1234).NextBytes(bytes);
                return bytes;
            case "text":
                return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("This is a text file, not a trace.\n", 200)));
            case "elf":
                return File.ReadAllBytes(CompiledPrograms.Shared.PathOf("hello"));
            case "magic-only":
                return "RWNDTRC\0"u8.ToArray();
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
