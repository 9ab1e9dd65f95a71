using System.Text;
using Rewind.Dap.Session;
using Rewind.Symbols.Dotnet;
using Rewind.Timeline;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    private const string ExceptionName = "$exception";

    /// <summary>
    /// A stop for a signal, described by the .NET exception in flight on the thread where there is
    /// one (the runtime aborts the process on an unhandled exception: the SIGABRT is its end), else
    /// by the signal.
    /// </summary>
    private StopInfo SignalStop(TimelineStop stop) => Report(stop, Session.StopReason.Signal,
        Runtime()?.ExceptionOf(_timeline.Thread) is { } e ? $"{e.Type}: {e.Message}" : $"{Linux.Signal.Name(stop.Signal)}: {Linux.Signal.Description(stop.Signal)}");

    public ThrownException? GetException(Tid thread) => _engine.Invoke(() =>
    {
        if (Runtime()?.ExceptionOf(thread) is not { } e)
        {
            return null;
        }
        var stop = _timeline.Stop;
        bool dying = thread == _timeline.Thread && stop.Signal != 0 && stop.Signal == _timeline.Exit?.Signal;
        return Thrown(e, dying);
    });

    private static ThrownException Thrown(ManagedException e, bool unhandled) =>
        new(e.Type, e.Message, StackText(e.Stack), e.Inner is { } inner ? [Thrown(inner, unhandled: false)] : [], unhandled);

    /// <summary>An exception's stack as .NET prints one: "   at Method in File:line N".</summary>
    private static string StackText(IReadOnlyList<ManagedFrame> stack)
    {
        var text = new StringBuilder();
        foreach (var frame in stack.Where(f => f.Method != null))
        {
            text.Append("   at ").Append(frame.Method);
            if (frame.Line is { } line)
            {
                text.Append($" in {line.File}:line {line.Line}");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// What a managed frame shows: the exception in flight on its thread as <c>$exception</c>. Its
    /// arguments and locals are not shown: ClrMD 4 reads no frame's arguments (docs/dotnet.md).
    /// </summary>
    private IReadOnlyList<ValueInfo> ManagedValues(FrameRef frame)
    {
        var values = new List<ValueInfo>();
        if (Runtime()?.ExceptionOf(frame.Thread) is { } e)
        {
            values.Add(new ValueInfo(ExceptionName, $"{e.Type}: {e.Message}", e.Type, Container(() => ObjectValues(e.Address)),
                new RemotePtr(e.Address), ExceptionName));
        }
        return values;
    }

    private IReadOnlyList<ScopeInfo> ManagedScopes(FrameRef frame)
    {
        var values = ManagedValues(frame);
        return [new ScopeInfo("Locals", ScopeKind.Locals, Container(() => values), NamedVariables: values.Count)];
    }

    /// <summary>A name in a managed frame: one of the values it shows.</summary>
    private ValueInfo ManagedValue(FrameRef frame, string expression) =>
        ManagedValues(frame).FirstOrDefault(v => v.Name == expression.Trim())
        ?? throw new RewindException($"'{expression}' cannot be evaluated in .NET code; what a .NET frame shows is {ExceptionName} (when an exception is in flight)");

    /// <summary>The fields of a managed object, each object they point to expandable in turn.</summary>
    private IReadOnlyList<ValueInfo> ObjectValues(ulong address) =>
        Runtime()?.ObjectAt(address) is { } obj
            ? [.. obj.Fields.Select(f => new ValueInfo(f.Name, f.Value, f.Type, f.Object is { } o ? Container(() => ObjectValues(o)) : null))]
            : [];
}
