using Microsoft.Diagnostics.Runtime;
using Rewind.Timeline;

namespace Rewind.Symbols.Dotnet;

/// <summary>
/// The .NET runtime of the replayed process at the timeline's present, read through ClrMD with
/// the data-access library the trace kept: its threads, their managed stacks and exceptions in
/// flight, and its heap's objects. Valid until the timeline moves; open a new one there.
/// All calls on the timeline's thread (ptrace).
/// </summary>
public sealed partial class ManagedRuntime : IDisposable
{
    private readonly ReplayTimeline _timeline;
    private readonly DataTarget _target;
    private readonly DataAccessLibrary _dac;
    private readonly ClrRuntime _runtime;
    private readonly PortablePdbs _pdbs;
    private Dictionary<int, string>? _names;
    private XclrDataProcess? _dataProcess;
    private bool _dataProcessOpened;

    private ManagedRuntime(ReplayTimeline timeline, DataTarget target, DataAccessLibrary dac, ClrRuntime runtime)
    {
        _timeline = timeline;
        _target = target;
        _dac = dac;
        _runtime = runtime;
        _pdbs = new PortablePdbs(timeline.Trace);
    }

    /// <summary>
    /// The runtime loaded at the present; null where none is (a native program, a .NET one before
    /// its runtime is mapped, or a NativeAOT app, whose runtime has no libcoreclr.so).
    /// </summary>
    public static ManagedRuntime? Open(ReplayTimeline timeline)
    {
        // No symbol paths: nothing is downloaded; every file ClrMD needs is in the trace.
        var target = new DataTarget(new ReplayDataReader(timeline), new DataTargetOptions { SymbolPaths = [] });
        DataAccessLibrary? dac = null;
        try
        {
            if (target.ClrVersions.FirstOrDefault() is not { } clr)
            {
                target.Dispose();
                return null;
            }
            string runtimePath = clr.ModuleInfo.FileName;
            dac = DataAccessLibrary.Extract(timeline.Trace, clr)
                ?? throw new RewindException(clr.IsSingleFile
                    ? $"the trace holds no {DataAccessLibrary.FileName} for the .NET runtime inside the single-file app {runtimePath}: none of its build was beside the app, in the NuGet cache's runtime pack or in an installed runtime when recording, so managed frames cannot be read (native debugging still works)"
                    : $"the trace holds no {DataAccessLibrary.FileName} for the .NET runtime {Path.GetDirectoryName(runtimePath)}: it was not beside libcoreclr.so when recording, so managed frames cannot be read (native debugging still works)");
            // ClrMD checks the library's version against the one it reads from the runtime's module,
            // which it cannot read from a replay (it finds 0.0); the recorder took this library from
            // beside this very libcoreclr.so, so the two match by construction.
            var runtime = clr.CreateRuntime(dac.Path, ignoreMismatch: true);
            return new ManagedRuntime(timeline, target, dac, runtime);
        }
        catch (ClrDiagnosticsException e)
        {
            dac?.Dispose();
            target.Dispose();
            // Between the mapping of libcoreclr.so and the runtime's start, the library finds no runtime to read.
            throw new RewindException($"the .NET runtime's data-access library cannot read the runtime at event {timeline.Now.Event:N0} (it may not have started yet): {e.Message}", e);
        }
        catch
        {
            dac?.Dispose();
            target.Dispose();
            throw;
        }
    }

    /// <summary>The threads the runtime knows, alive at the present, in the runtime's order.</summary>
    public IReadOnlyList<ManagedThread> Threads =>
        [.. LiveThreads().Select(t => new ManagedThread(new Tid((int)t.OSThreadId), t.ManagedThreadId, NameOf(t)))];

    /// <summary>The managed frames of thread <paramref name="tid"/>, innermost first; empty for a thread the runtime does not know.</summary>
    public IReadOnlyList<ManagedFrame> StackOf(Tid tid)
    {
        if (Find(tid) is not { } thread)
        {
            return [];
        }
        ulong pc = _timeline.RegistersOf(tid).Rip;
        return [.. thread.EnumerateStackTrace(includeContext: false).Select(f => FrameOf(f, exact: f.InstructionPointer == pc))];
    }

    /// <summary>The managed method whose code holds <paramref name="pc"/>, as a frame; null where no managed code is.</summary>
    public ManagedFrame? FrameAt(ulong stackPointer, ulong pc, bool exact) =>
        _runtime.GetMethodByInstructionPointer(CodePc(pc, exact)) is { } method
            ? new ManagedFrame(stackPointer, pc, method.Signature ?? method.Name, LineOf(method, pc, exact))
            : null;

    private ManagedFrame FrameOf(ClrStackFrame frame, bool exact) => frame.Method is { } method
        ? new ManagedFrame(frame.StackPointer, frame.InstructionPointer, method.Signature ?? method.Name, LineOf(method, frame.InstructionPointer, exact))
        : new ManagedFrame(frame.StackPointer, frame.InstructionPointer, null, null, string.IsNullOrEmpty(frame.FrameName) ? "runtime frame" : frame.FrameName);

    /// <summary>The C# line of <paramref name="pc"/> in <paramref name="method"/>.</summary>
    private SourceLine? LineOf(ClrMethod method, ulong pc, bool exact)
    {
        string? assembly = method.Type?.Module?.Name;
        return assembly == null ? null : _pdbs.LineOf(assembly, method.MetadataToken, ILOffsetAt(method, CodePc(pc, exact)));
    }

    /// <summary>
    /// Where a frame's own code is: at its pc when the thread stands there (<paramref name="exact"/>),
    /// else pc is a caller's return address, the start of what runs after the call, and the call is at pc - 1.
    /// </summary>
    private static ulong CodePc(ulong pc, bool exact) => exact ? pc : pc - 1;

    /// <summary>ClrMD's IXCLRDataProcess, with a reference of our own, taken on first need; null where ClrMD keeps it out of reach.</summary>
    private XclrDataProcess? DataProcess()
    {
        if (!_dataProcessOpened)
        {
            _dataProcessOpened = true;
            _dataProcess = XclrDataProcess.Of(_runtime);
        }
        return _dataProcess;
    }

    private IEnumerable<ClrThread> LiveThreads() => _runtime.Threads.Where(t => t.IsAlive && t.OSThreadId != 0);

    private ClrThread? Find(Tid tid) => LiveThreads().FirstOrDefault(t => t.OSThreadId == (uint)tid.Value);

    /// <summary>
    /// Thread.Name: the _name of the thread's System.Threading.Thread object. The runtime holds
    /// each thread's object through a handle (its exposed object), so the handle table finds
    /// them all without walking the heap.
    /// </summary>
    private string? NameOf(ClrThread thread)
    {
        if (_names == null)
        {
            _names = [];
            foreach (var handle in _runtime.EnumerateHandles())
            {
                var obj = handle.Object;
                if (obj.IsValid && obj.Type?.Name == "System.Threading.Thread"
                    && obj.TryReadField("_managedThreadId", out int id) && obj.TryReadStringField("_name", null, out string? name) && name != null)
                {
                    _names.TryAdd(id, name);
                }
            }
        }
        return _names.GetValueOrDefault(thread.ManagedThreadId);
    }

    public void Dispose()
    {
        // Before the runtime, which releases ClrMD's references to the data-access library.
        _sos?.Dispose();
        _dataProcess?.Dispose();
        _pdbs.Dispose();
        _runtime.Dispose();
        _target.Dispose();
        _dac.Dispose();
    }
}
