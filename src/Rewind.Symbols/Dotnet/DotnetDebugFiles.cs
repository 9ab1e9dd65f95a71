using System.Buffers.Binary;
using Rewind.Recording;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// What a .NET debugging session needs beside the files a program maps (docs/dotnet.md, "What
/// the trace keeps"): for a runtime's libcoreclr.so, the data-access library beside it; for an
/// assembly, its portable PDB beside it; for a single-file app, the PDBs of its bundled
/// assemblies beside it and, where the runtime is inside the app, the data-access library of
/// that exact build, wherever this machine has it.
/// </summary>
public sealed class DotnetDebugFiles : IDebugFileFinder
{
    private const string Runtime = "libcoreclr.so";

    // A portable PDB is ECMA-335 metadata: it starts with the metadata signature "BSJB"
    // (Portable PDB v1.0 format specification). Windows PDBs (MSF) are of no use here.
    private static readonly byte[] MetadataSignature = "BSJB"u8.ToArray();
    private static readonly byte[] ElfMagic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    public IEnumerable<string> FilesFor(string mapped, Action<string> note)
    {
        string directory = Path.GetDirectoryName(mapped) is { Length: > 0 } d ? d : "/";
        string name = Path.GetFileName(mapped);
        if (name == Runtime)
        {
            string library = Path.Combine(directory, DataAccessLibrary.FileName);
            return File.Exists(library) ? [library] : [];
        }
        if (name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return PortablePdbs(Path.ChangeExtension(mapped, ".pdb"));
        }
        // A shared library is never a single-file app; an executable may be.
        return name.Contains(".so", StringComparison.Ordinal) || !StartsWith(mapped, ElfMagic) || !HasAppendix(mapped) ? [] : SingleFileApp(mapped, directory, note);
    }

    private static IEnumerable<string> SingleFileApp(string app, string directory, Action<string> note)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(app);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        if (SingleFileBundle.Read(content) is not { } bundle)
        {
            return [];
        }
        // Publishing leaves the PDBs out of the bundle, beside the app.
        var files = bundle.Assemblies.SelectMany(a => PortablePdbs(Path.Combine(directory, Path.ChangeExtension(a, ".pdb")))).ToList();
        if (DataAccessLibraries.BuildIdNamedBy(content, app) is not { } buildId)
        {
            return files;
        }
        if (DataAccessLibraries.Find(buildId, directory) is { } library)
        {
            files.Add(library);
        }
        else
        {
            note($"the .NET runtime inside {app} needs its {DataAccessLibrary.FileName} (build id {buildId}) to read managed frames, and none of that build is beside the app, in the NuGet cache's runtime pack or in an installed runtime: put the one of the app's runtime version (package {DataAccessLibraries.RuntimePack}) beside the app and record again to debug its .NET code");
        }
        return files;
    }

    /// <summary>
    /// Whether bytes follow the ELF image at <paramref name="path"/>, past its segments and its
    /// section header table (ELF64 header: e_phoff at 0x20, e_shoff at 0x28, e_phentsize,
    /// e_phnum, e_shentsize and e_shnum at 0x36–0x3c; a program header's p_offset at 8 and
    /// p_filesz at 0x20), as a single-file app's bundle does. So a 99 MB node is not read whole
    /// to find it is no bundle; what cannot be read counts as an appendix.
    /// </summary>
    private static bool HasAppendix(string path)
    {
        try
        {
            using var file = File.OpenHandle(path);
            Span<byte> header = stackalloc byte[64];
            if (RandomAccess.Read(file, header, 0) != header.Length)
            {
                return true;
            }
            ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]), shoff = BinaryPrimitives.ReadUInt64LittleEndian(header[0x28..]);
            int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]), phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
            ulong end = shoff + ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(header[0x3a..]) * BinaryPrimitives.ReadUInt16LittleEndian(header[0x3c..]));
            if (phentsize is < 0x28 or > 0x100)
            {
                return true;
            }
            byte[] table = new byte[phentsize * phnum];
            if (RandomAccess.Read(file, table, (long)phoff) != table.Length)
            {
                return true;
            }
            for (int i = 0; i < phnum; i++)
            {
                var entry = table.AsSpan(i * phentsize);
                end = Math.Max(end, BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]) + BinaryPrimitives.ReadUInt64LittleEndian(entry[0x20..]));
            }
            return (ulong)RandomAccess.GetLength(file) > end;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static IEnumerable<string> PortablePdbs(string path) => StartsWith(path, MetadataSignature) ? [path] : [];

    private static bool StartsWith(string path, byte[] magic)
    {
        Span<byte> head = stackalloc byte[magic.Length];
        try
        {
            using var file = File.OpenHandle(path);
            return RandomAccess.Read(file, head, 0) == head.Length && head.SequenceEqual(magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
