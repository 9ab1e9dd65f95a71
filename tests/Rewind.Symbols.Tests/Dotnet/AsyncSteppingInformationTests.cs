using System.Reflection.Metadata;
using Rewind.Symbols.Dotnet;

namespace Rewind.Symbols.Tests.Dotnet;

/// <summary>
/// An async MoveNext's resume offsets from hand-made "Async Method Stepping Information" blobs,
/// laid out as the C# compiler writes them (those of AsyncLoop's Deposits.Make: one await, resumed
/// at IL 0x68 by MoveNext, row 12).
/// </summary>
public sealed class AsyncSteppingInformationTests
{
    private const int MoveNext = 12;

    // Catch handler 0; awaits (yield 0x51, resume 0x68, row 12), (yield 0x90, resume 0xa7, row 0x1234: two bytes compressed), (yield 0xa1, resume 0xb8, row 12).
    private static readonly byte[] Blob =
    [
        0, 0, 0, 0,
        0x51, 0, 0, 0, 0x68, 0, 0, 0, MoveNext,
        0x90, 0, 0, 0, 0xa7, 0, 0, 0, 0x92, 0x34,
        0xa1, 0, 0, 0, 0xb8, 0, 0, 0, MoveNext,
    ];

    [Fact]
    public void Gives_the_resume_offsets_of_the_awaits_its_method_resumes()
    {
        Assert.Equal([0x68, 0xb8], Resumes(Blob, MoveNext));
        Assert.Equal([0xa7], Resumes(Blob, 0x1234));
    }

    [Fact]
    public void Truncated_at_every_byte_gives_the_whole_awaits_before_the_cut()
    {
        for (int length = 0; length < Blob.Length; length++)
        {
            int[] whole = length >= 13 ? [0x68] : [];
            Assert.Equal(whole, Resumes(Blob[..length], MoveNext));
        }
    }

    [Fact]
    public void A_bad_compressed_row_ends_the_list()
    {
        byte[] bad = [.. Blob[..13], 0x90, 0, 0, 0, 0xa7, 0, 0, 0, 0xff, .. Blob[23..]];
        Assert.Equal([0x68], Resumes(bad, MoveNext));
    }

    private static unsafe int[] Resumes(byte[] blob, int row)
    {
        fixed (byte* bytes = blob)
        {
            return [.. AsyncSteppingInformation.ResumeOffsets(new BlobReader(bytes, blob.Length), row)];
        }
    }
}
