using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Rewind.Trace;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The portable PDB an assembly carries inside itself (DebugType=embedded: a debug directory
/// entry of type EmbeddedPortablePdb, Deflate-compressed; PE/COFF specification), read from the
/// assembly's bytes in the trace: the file the program mapped, or, for an assembly bundled in a
/// single-file app, its slice of the app. The recorder stores mapped files whole, so these need
/// no keeping.
/// </summary>
internal sealed class EmbeddedPdbs(TraceFile trace)
{
    private static readonly byte[] ElfMagic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    // The files mapped, and the single-file apps among them with their manifests: looked up once.
    private List<(MemoryMapEntry Entry, FileMapping File)>? _files;
    private List<(byte[] App, SingleFileBundle Bundle)>? _bundles;

    private List<(MemoryMapEntry Entry, FileMapping File)> Files => _files ??= [.. ProgramSymbols.FileMappings(trace).DistinctBy(m => m.Entry.Path)];

    /// <summary>
    /// The assemblies that may carry a PDB: every mapped .dll or .exe, by its path, and every
    /// assembly bundled in a mapped single-file app, by its path in the bundle (the runtime's
    /// names for them).
    /// </summary>
    public IEnumerable<string> Assemblies =>
        Files.Select(m => m.Entry.Path).Where(p => p.EndsWith(".dll", StringComparison.Ordinal) || p.EndsWith(".exe", StringComparison.Ordinal))
            .Concat(Bundles.SelectMany(b => b.Bundle.Assemblies));

    /// <summary>The PDB embedded in the assembly the runtime names <paramref name="assemblyPath"/>; null where it has none, or is not in the trace.</summary>
    public MetadataReaderProvider? Of(string assemblyPath)
    {
        if (AssemblyImage(assemblyPath) is not { } image)
        {
            return null;
        }
        try
        {
            using var pe = new PEReader(ImmutableArray.Create(image));
            var entry = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
            return entry.DataSize > 0 ? pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry) : null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>An assembly's bytes: a mapped file of that path, or (a path relative to a bundle) a file bundled in a mapped single-file app.</summary>
    private byte[]? AssemblyImage(string assemblyPath)
    {
        if (Path.IsPathRooted(assemblyPath))
        {
            return Files.Where(m => m.Entry.Path == assemblyPath).Select(m => trace.Blob(m.File.Blob)).FirstOrDefault();
        }
        return Bundles.Select(b => b.Bundle.Content(b.App, assemblyPath)).FirstOrDefault(c => c != null);
    }

    private List<(byte[] App, SingleFileBundle Bundle)> Bundles => _bundles ??= [.. Files.Where(m => IsElf(trace, m.File)).Select(m => trace.Blob(m.File.Blob))
        .Select(app => (App: app, Bundle: SingleFileBundle.Read(app)!)).Where(b => b.Bundle != null)];

    private static bool IsElf(TraceFile trace, FileMapping file)
    {
        bool elf = false;
        trace.ReadBlobRange(file.Blob, file.FileSize, 0, (ulong)ElfMagic.Length, (_, head) => elf = head.SequenceEqual(ElfMagic));
        return elf;
    }
}
