using Rewind.Dap.Session;
using Rewind.Symbols.Dotnet;

namespace Rewind.Dap.Engine;

internal sealed partial class TimelineSession
{
    private const string ExceptionName = "$exception";
    private const string VariablesName = "(arguments and locals)";

    /// <summary>
    /// What a managed frame shows, in one Locals scope as VS Code's C# debugger shows it: the
    /// exception in flight on its thread as <c>$exception</c>, then its arguments (`this` first),
    /// then its locals in scope at its pc. A value the runtime's data-access library cannot read
    /// shows as unavailable; a frame it cannot walk to, as one line saying why.
    /// </summary>
    private IReadOnlyList<ValueInfo> ManagedValues(FrameRef frame)
    {
        var values = new List<ValueInfo>();
        if (Runtime() is not { } runtime)
        {
            return values;
        }
        if (runtime.ExceptionOf(frame.Thread) is { } e)
        {
            values.Add(new ValueInfo(ExceptionName, $"{e.Type}: {e.Message}", e.Type, Container(() => ObjectValues(e.Address)),
                new RemotePtr(e.Address), ExceptionName));
        }
        if (FrameAt(frame).Managed is { } managed)
        {
            var variables = runtime.VariablesOf(frame.Thread, managed);
            values.AddRange(variables.Arguments.Concat(variables.Locals).Select(ValueOf));
            if (variables.Problem is { } problem)
            {
                values.Add(new ValueInfo(VariablesName, $"{ManagedRuntime.Unavailable}: {problem}"));
            }
        }
        return values;
    }

    /// <summary>Locals, and the static fields of the frame's type (its class's, as VS Code's C# debugger shows under "Static members").</summary>
    private IReadOnlyList<ScopeInfo> ManagedScopes(FrameRef frame)
    {
        var values = ManagedValues(frame);
        var scopes = new List<ScopeInfo> { new("Locals", ScopeKind.Locals, Container(() => values), NamedVariables: values.Count) };
        if (FrameAt(frame).Managed is { } managed && Runtime()?.StaticsOf(managed) is { Fields.Count: > 0 } statics)
        {
            var fields = FieldValues(statics.Fields);
            scopes.Add(new ScopeInfo($"Statics of {statics.Type}", ScopeKind.Globals, Container(() => fields), NamedVariables: fields.Count));
        }
        return scopes;
    }

    /// <summary>A name in a managed frame: one of the values it shows.</summary>
    private ValueInfo ManagedValue(FrameRef frame, string expression) =>
        ManagedValues(frame).FirstOrDefault(v => v.Name == expression.Trim() && v.Name != VariablesName)
        ?? throw new RewindException($"'{expression}' cannot be evaluated in .NET code; what a .NET frame shows is its arguments, its locals and {ExceptionName} (when an exception is in flight), each by its name");

    /// <summary>An argument or local: an object it refers to, or a struct in memory, expands to its fields.</summary>
    private ValueInfo ValueOf(ManagedVariable v) => v.Object is { } o
        ? Referring(v.Name, v.Value, v.Type, o) with { EvaluateName = v.Name }
        : new(v.Name, v.Value, v.Type, v.Fields is { Count: > 0 } fields ? Container(() => FieldValues(fields)) : null, EvaluateName: v.Name);

    /// <summary>
    /// A value that refers to the object at <paramref name="address"/>: it expands to the object's
    /// fields, or an array to its elements, read a page at a time as VS Code asks (indexedVariables).
    /// </summary>
    private ValueInfo Referring(string name, string value, string? type, ulong address) =>
        Runtime()?.ArrayLength(address) is { } length
            ? new ValueInfo(name, value, type, Container((start, count) => FieldValues(Runtime()?.ElementsOf(address, start, count > 0 ? count : length) ?? [])), IndexedChildren: length)
            : new ValueInfo(name, value, type, Container(() => ObjectValues(address)));

    /// <summary>The fields of a managed object, each object they point to expandable in turn.</summary>
    private IReadOnlyList<ValueInfo> ObjectValues(ulong address) => Runtime()?.ObjectAt(address) is { } obj ? FieldValues(obj.Fields) : [];

    /// <summary>Fields or elements: an object one refers to, or a struct in place, expands to its own.</summary>
    private IReadOnlyList<ValueInfo> FieldValues(IReadOnlyList<ManagedField> fields) =>
        [.. fields.Select(f => f.Object is { } o ? Referring(f.Name, f.Value, f.Type, o)
            : new ValueInfo(f.Name, f.Value, f.Type, f.Fields is { Count: > 0 } inner ? Container(() => FieldValues(inner)) : null))];
}
