namespace Rewind.Symbols.Dotnet;

/// <summary>
/// What a .NET runtime says of itself for debuggers in its exported DotNetRuntimeInfo
/// (dotnet/runtime src/coreclr/debug/runtimeinfo: the RuntimeInfo structure): the build id of
/// the data-access library made with it. A single-file app's host links the runtime in, so it
/// exports this symbol too, and that build id is how its library is found.
/// </summary>
internal static class RuntimeInfo
{
    private const string Symbol = "DotNetRuntimeInfo";

    // char Signature[18] ("DotNetRuntimeInfo"), int Version, then three module indexes of 24 bytes
    // (the runtime's, the data-access library's, the debugger's), each a length byte and a build id.
    private const int DacIndexOffset = 20 + 4 + 24, IndexSize = 24;

    /// <summary>The build id, as lowercase hex, of the data-access library of the runtime in <paramref name="elf"/>; null where it exports no runtime info.</summary>
    public static string? DacBuildIdOf(ElfFile elf)
    {
        if (elf.Symbols.FirstOrDefault(s => s.Name == Symbol) is not { } symbol
            || elf.Segments.FirstOrDefault(s => s.Type == ElfSegment.PT_LOAD && symbol.Value >= s.VirtualAddress && symbol.Value < s.VirtualAddress + s.FileSize) is not { } segment)
        {
            return null;
        }
        var info = elf.Bytes.Span;
        ulong start = symbol.Value - segment.VirtualAddress + segment.FileOffset;
        if (start + DacIndexOffset + IndexSize > (ulong)info.Length)
        {
            return null;
        }
        var index = info.Slice((int)start + DacIndexOffset, IndexSize);
        return index[0] is > 0 and < IndexSize ? Convert.ToHexStringLower(index.Slice(1, index[0])) : null;
    }
}
