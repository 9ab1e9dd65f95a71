using System.Reflection.Metadata;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// Portable PDB, "Async Method Stepping Information": custom debug information of an async
/// method's MoveNext, written by the C# and VB compilers. Its blob is the IL offset of the
/// compiler's catch handler, then for each await its yield offset (where MoveNext returns to
/// wait), its resume offset (where the continuation enters MoveNext again) and the compressed row
/// of the method that resumes.
/// </summary>
internal static class AsyncSteppingInformation
{
    public static readonly Guid Kind = new("54FD2AC5-E925-401A-9C2A-F94F171072F8");

    /// <summary>
    /// The resume offsets of the awaits that the method of row <paramref name="row"/> resumes; a
    /// blob cut short ends with its last whole await.
    /// </summary>
    public static IReadOnlyList<int> ResumeOffsets(BlobReader blob, int row)
    {
        var resumes = new List<int>();
        if (blob.RemainingBytes < 4)
        {
            return resumes;
        }
        blob.ReadInt32(); // the catch handler's offset
        while (blob.RemainingBytes >= 8)
        {
            blob.ReadInt32(); // the yield offset
            int resume = blob.ReadInt32();
            if (!blob.TryReadCompressedInteger(out int resumer))
            {
                break;
            }
            if (resumer == row && resume >= 0)
            {
                resumes.Add(resume);
            }
        }
        return resumes;
    }
}
