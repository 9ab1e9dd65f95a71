using System.Buffers.Binary;
using Rewind.Timeline;
using Rewind.Trace;

namespace Rewind.Cli.Gdb;

/// <summary>
/// What gdb asks about the recorded process that does not change with time: its ids, its auxv,
/// its executable, and the files it mapped (whose contents the trace holds), so gdb on another
/// machine needs nothing but the trace.
/// </summary>
internal sealed class RecordedProcess
{
    private const ulong AT_NULL = 0, AT_ENTRY = 9;
    private const int MaxStackWords = 1 << 16;

    private readonly Dictionary<string, BlobId> _files;

    private RecordedProcess(int pid, byte[] auxv, string executable, Dictionary<string, BlobId> files)
    {
        Pid = pid;
        Auxv = auxv;
        Executable = executable;
        _files = files;
    }

    /// <summary>The recorded id of the process debugged.</summary>
    public int Pid { get; }

    /// <summary>The auxiliary vector the program started with, as (type, value) pairs ending in AT_NULL.</summary>
    public byte[] Auxv { get; }

    /// <summary>The executable's path on the recording machine.</summary>
    public string Executable { get; }

    /// <summary>
    /// Reads it all from a timeline that stands at the start of the process debugged: its program's
    /// image is the checkpoint taken at that program's exec, whose stack pointer then showed the
    /// auxiliary vector, still there above the stack's frames (in a process forked since, too).
    /// </summary>
    public static RecordedProcess Of(ReplayTimeline timeline)
    {
        var trace = timeline.Trace;
        var image = trace.CheckpointLayout(timeline.StartImage);
        var files = trace.Summary.Files.ToDictionary(f => f.Path, f => new BlobId(f.Blob), StringComparer.Ordinal);
        byte[] auxv = ReadAuxv(timeline.Memory, image.Registers.Sp);
        return new RecordedProcess(timeline.Process, auxv, FindExecutable(trace, image, auxv), files);
    }

    /// <summary>
    /// At exec the stack holds argc, argv[], NULL, envp[], NULL, then the auxv pairs (System V
    /// x86-64 ABI, 3.4.1). AT_SYSINFO_EHDR there names the recorder's stand-in for the vDSO
    /// (VdsoStandIn), ordinary memory of the replay, where gdb reads the vDSO's symbols.
    /// </summary>
    private static byte[] ReadAuxv(IMemoryReader memory, RemotePtr sp)
    {
        var at = sp;
        ulong argc = Word(memory, at);
        at += (argc + 2) * 8;
        for (int i = 0; i < MaxStackWords && Word(memory, at) != 0; i++)
        {
            at += 8;
        }
        at += 8;
        var start = at;
        for (int i = 0; i < MaxStackWords; i++, at += 16)
        {
            if (Word(memory, at) == AT_NULL)
            {
                break;
            }
        }
        var auxv = new byte[at + 16 - start];
        return memory.Read(start, auxv) == auxv.Length ? auxv : throw new RewindException("the auxiliary vector at the start of the trace is unreadable");
    }

    private static ulong Word(IMemoryReader memory, RemotePtr at)
    {
        Span<byte> word = stackalloc byte[8];
        return memory.Read(at, word) == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(word)
            : throw new RewindException($"the initial stack is unreadable at {at}");
    }

    /// <summary>The file mapped where the entry point is; the command line's program when there is none.</summary>
    private static string FindExecutable(TraceFile trace, Rewind.Checkpoints.CheckpointImage image, byte[] auxv)
    {
        ulong entry = 0;
        for (int i = 0; i + 16 <= auxv.Length; i += 16)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(auxv.AsSpan(i)) == AT_ENTRY)
            {
                entry = BinaryPrimitives.ReadUInt64LittleEndian(auxv.AsSpan(i + 8));
            }
        }
        var region = image.Regions.FirstOrDefault(r => r.File != null && r.Start.Value <= entry && entry < r.End.Value);
        return region?.File?.Path ?? (trace.Header.CommandLine.Count > 0 ? trace.Header.CommandLine[0] : "");
    }

    /// <summary>The recorded content of <paramref name="path"/> (<see cref="FindFile(IReadOnlyDictionary{string, BlobId}, string)"/>).</summary>
    public BlobId? FindFile(string path) => FindFile(_files, path);

    /// <summary>
    /// The content of <paramref name="path"/> among the recorded <paramref name="files"/>. The
    /// program may name a file by another path than the one recorded (/lib/x86_64-linux-gnu/libc.so.6
    /// through the /lib link, the interpreter as /lib64/ld-linux-x86-64.so.2), or by its soname,
    /// a link to the file the recorder stored (libstdc++.so.6 is libstdc++.so.6.0.30): a unique
    /// file name decides, then a unique file name that the asked one is the start of.
    /// </summary>
    public static BlobId? FindFile(IReadOnlyDictionary<string, BlobId> files, string path)
    {
        if (files.TryGetValue(path, out var exact))
        {
            return exact;
        }
        string name = Path.GetFileName(path);
        return Unique(files.Where(f => Path.GetFileName(f.Key) == name))
            ?? Unique(files.Where(f => Path.GetFileName(f.Key).StartsWith(name + ".", StringComparison.Ordinal)));
    }

    private static BlobId? Unique(IEnumerable<KeyValuePair<string, BlobId>> matches)
    {
        var blobs = matches.Select(f => f.Value).Distinct().ToList();
        return blobs.Count == 1 ? blobs[0] : null;
    }
}
