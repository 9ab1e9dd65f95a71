using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;
using Rewind.Timeline;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// ClrMD's view of the replayed process at the timeline's present: its memory, the registers of
/// its threads, and its modules. No live process is attached: every read goes through the
/// timeline, so ClrMD (and the runtime's data-access library it loads) sees the recorded
/// program as it was at that moment. Replay maps the program's files as private copies, so the
/// modules' names come from the trace's mappings, not from the replay's /proc maps.
/// </summary>
internal sealed class ReplayDataReader(ReplayTimeline timeline) : IDataReader
{
    private List<ModuleInfo>? _modules;

    public string DisplayName => $"replay of {timeline.Process} at event {timeline.Now.Event}";

    public bool IsThreadSafe => false;

    public OSPlatform TargetPlatform => OSPlatform.Linux;

    public Architecture Architecture => Architecture.X64;

    public int ProcessId => timeline.Process;

    public int PointerSize => 8;

    public IEnumerable<ModuleInfo> EnumerateModules() => _modules ??= LoadModules();

    /// <summary>
    /// One module a file mapped at the present: where its mapping at file offset 0 starts, since
    /// both ELF and PE images begin with their headers; the latest such mapping of a file wins,
    /// but for a file with code, whose loaded image starts at the offset-0 mapping nearest below
    /// its code. A single-file app maps its whole file again, flat, to read its bundled assemblies:
    /// that view is no image, and the runtime's exports are found in the image alone.
    /// </summary>
    private List<ModuleInfo> LoadModules()
    {
        var regions = timeline.MemoryMap.Regions;
        var mapped = ProgramSymbols.FileMappings(timeline.Trace, timeline.Now.Event, timeline.Process)
            .Select(m => m.Entry).Where(e => regions.Any(r => r.Contains(e.Start))).ToList();
        var bases = new Dictionary<string, RemotePtr>(StringComparer.Ordinal);
        foreach (var entry in mapped.Where(e => e.FileOffset == 0))
        {
            bases[entry.Path] = entry.Start;
        }
        foreach (var code in mapped.Where(e => e.IsExecutable))
        {
            if (mapped.Where(e => e.Path == code.Path && e.FileOffset == 0 && e.Start <= code.Start).MaxBy(e => e.Start.Value) is { } image)
            {
                bases[code.Path] = image.Start;
            }
        }
        var modules = new List<ModuleInfo>();
        foreach (var (path, start) in bases)
        {
            if (ModuleInfo.TryCreate(this, start.Value, path, null) is { } module)
            {
                modules.Add(module);
            }
        }
        return modules;
    }

    public bool GetThreadContext(uint threadID, uint contextFlags, Span<byte> context)
    {
        var tid = new Tid((int)threadID);
        if (!timeline.Threads.Any(t => t.Tid == tid))
        {
            return false;
        }
        return ThreadContext.Write(timeline.RegistersOf(tid), context);
    }

    public void FlushCachedData() => _modules = null;

    public int Read(ulong address, Span<byte> buffer) => timeline.ReadMemory(new RemotePtr(address), buffer);

    public bool Read<T>(ulong address, out T value) where T : unmanaged
    {
        Span<byte> bytes = stackalloc byte[Unsafe.SizeOf<T>()];
        bool read = Read(address, bytes) == bytes.Length;
        value = read ? MemoryMarshal.Read<T>(bytes) : default;
        return read;
    }

    public T Read<T>(ulong address) where T : unmanaged => Read(address, out T value) ? value : default;

    public bool ReadPointer(ulong address, out ulong value) => Read(address, out value);

    public ulong ReadPointer(ulong address) => Read<ulong>(address);
}
