using System.Text;
using Rewind.Symbols.Dotnet;

namespace Rewind.Cli.Dotnet;

/// <summary>
/// What gdb's `monitor clrstack`, `clrexception`, `dumpobj` and `statics` print, in the shape of SOS's
/// clrstack, pe (printexception), dumpobj and DumpClass, which .NET developers know from lldb and WinDbg.
/// </summary>
internal static class SosText
{
    /// <param name="variablesOf">Where given, each method's frame is followed by its arguments and locals, as clrstack -a shows them.</param>
    public static string Stack(ManagedThread thread, IReadOnlyList<ManagedFrame> frames, Func<ManagedFrame, ManagedVariables>? variablesOf = null)
    {
        var text = new StringBuilder();
        text.Append($"OS Thread Id: 0x{thread.Tid.Value:x} ({thread.Tid}){(thread.Name is { } name ? $" \"{name}\"" : "")}, managed thread {thread.ManagedId}\n");
        text.Append("        Child SP               IP Call Site\n");
        foreach (var frame in frames)
        {
            text.Append($"{frame.StackPointer:X16} {frame.InstructionPointer:X16} {Site(frame)}\n");
            if (variablesOf != null && frame.Method != null)
            {
                Variables(text, variablesOf(frame));
            }
        }
        return text.ToString();
    }

    private static void Variables(StringBuilder text, ManagedVariables variables)
    {
        if (variables.Problem is { } problem)
        {
            text.Append($"    <no data: {problem}>\n");
            return;
        }
        foreach (var (title, list) in new[] { ("PARAMETERS", variables.Arguments), ("LOCALS", variables.Locals) }.Where(l => l.Item2.Count > 0))
        {
            text.Append($"    {title}:\n");
            foreach (var v in list)
            {
                text.Append($"        {v.Name} = {(v.Value == ManagedRuntime.Unavailable ? "<no data>" : v.Value)}\n");
            }
        }
    }

    public static string Exception(ManagedThread thread, ManagedException exception)
    {
        var text = new StringBuilder();
        text.Append($"OS Thread Id: 0x{thread.Tid.Value:x} ({thread.Tid})\n");
        for (var e = exception; e != null; e = e.Inner)
        {
            if (e != exception)
            {
                text.Append("\nInner exception:\n");
            }
            text.Append($"Exception object: {e.Address:x16}\n");
            text.Append($"Exception type:   {e.Type}\n");
            text.Append($"Message:          {e.Message ?? "<none>"}\n");
            text.Append($"InnerException:   {(e.Inner is { } inner ? $"{inner.Type}, use monitor dumpobj 0x{inner.Address:x} to see more" : "<none>")}\n");
            text.Append(e.Stack.Count == 0 ? "StackTrace (generated): <none>\n" : "StackTrace (generated):\n    SP               IP               Function\n");
            foreach (var frame in e.Stack)
            {
                text.Append($"    {frame.StackPointer:X16} {frame.InstructionPointer:X16} {Site(frame)}\n");
            }
            text.Append($"HResult: {e.HResult:x8}\n");
        }
        return text.ToString();
    }

    public static string Object(ManagedObject obj)
    {
        var text = new StringBuilder();
        text.Append($"Name:        {obj.Type}\n");
        text.Append($"MethodTable: {obj.MethodTable:x16}\n");
        text.Append($"Size:        {obj.Size}(0x{obj.Size:x}) bytes\n");
        if (obj.Text is { } s)
        {
            text.Append($"String:      {s}\n");
        }
        if (obj.Length is { } length)
        {
            text.Append($"Array:       length {length}\n");
        }
        Fields(text, "Fields:", obj.Fields);
        if (obj.Elements.Count > 0)
        {
            text.Append("Elements:\n");
            foreach (var e in obj.Elements)
            {
                text.Append($"  {e.Name,8} {e.Value}\n");
            }
            if (obj.Length > obj.Elements.Count)
            {
                text.Append($"  … {obj.Length - obj.Elements.Count} more\n");
            }
        }
        return text.ToString();
    }

    public static string Statics(ManagedStatics statics)
    {
        var text = new StringBuilder();
        text.Append($"Class Name:  {statics.Type}\n");
        text.Append($"MethodTable: {statics.MethodTable:x16}\n");
        if (statics.Fields.Count == 0)
        {
            text.Append("Static fields: none\n");
        }
        Fields(text, "Static fields:", statics.Fields);
        return text.ToString();
    }

    private static void Fields(StringBuilder text, string title, IReadOnlyList<ManagedField> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }
        text.Append(title).Append('\n');
        text.Append($"  {"Offset",6} {"Type",-40} {"Field",-24} Value\n");
        foreach (var f in fields)
        {
            text.Append($"  {f.Offset,6:x} {f.Type,-40} {f.Name,-24} {f.Value}\n");
        }
    }

    private static string Site(ManagedFrame frame) =>
        frame.Method is not { } method ? $"[{frame.RuntimeFrame}]"
        : frame.Line is { } line ? $"{method} [{line.File} @ {line.Line}]"
        : method;
}
