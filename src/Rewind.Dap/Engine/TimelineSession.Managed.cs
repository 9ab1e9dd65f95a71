using Rewind.Dap.Session;
using Rewind.Symbols;
using Rewind.Symbols.Dotnet;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    // The .NET runtime at the present (ClrMD over the replay), opened on first need at each stop:
    // a ManagedRuntime is valid at one moment only (docs/dotnet.md).
    private ManagedRuntime? _runtime;
    private bool _runtimeOpened;
    // What keeps managed frames from being read, said once a session.
    private string? _runtimeProblem;
    private readonly Dictionary<Tid, IReadOnlyList<MixedFrame>> _stacks = [];

    /// <summary>The runtime at the present; null for a native program, before the runtime starts, or when the trace lacks its data-access library.</summary>
    private ManagedRuntime? Runtime()
    {
        if (_runtimeOpened || !_loadsDotnet)
        {
            return _runtime;
        }
        _runtimeOpened = true;
        try
        {
            _runtime = ManagedRuntime.Open(_timeline);
        }
        catch (RewindException e)
        {
            if (_runtimeProblem != e.Message)
            {
                _runtimeProblem = e.Message;
                _events.Output(OutputKind.Console, $"rewind: {e.Message}\n");
            }
        }
        return _runtime;
    }

    /// <summary>The runtime and what was read through it belong to one moment: forgotten when the present moves.</summary>
    private void ForgetRuntime()
    {
        _stacks.Clear();
        _runtime?.Dispose();
        _runtime = null;
        _runtimeOpened = false;
    }

    /// <summary>A thread's stack at the present with its managed frames among the native ones, built once per stop.</summary>
    private IReadOnlyList<MixedFrame> Stack(Tid thread)
    {
        if (!_stacks.TryGetValue(thread, out var stack))
        {
            stack = MixedStack.Of(thread, Frames(thread), Runtime());
            _stacks[thread] = stack;
        }
        return stack;
    }
}
