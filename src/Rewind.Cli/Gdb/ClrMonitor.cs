using System.Globalization;
using System.Text;
using Rewind.Cli.Dotnet;
using Rewind.Symbols.Dotnet;

namespace Rewind.Cli.Gdb;

/// <summary>
/// The .NET monitor commands, in SOS's spirit: clrstack, clrexception, dumpobj, and statics (DumpClass's static fields). Each reads the
/// runtime afresh at the present (through ClrMD over the replayed memory, with the trace's copy
/// of the runtime's data-access library), since time may have moved since the last one.
/// </summary>
internal sealed class ClrMonitor(GdbSession session)
{
    public const string Help = """
          monitor clrstack [-a] [TID]  the managed stack of every .NET thread, or of thread TID; -a: with each frame's arguments and locals
          monitor clrexception [TID]   the .NET exception in flight on each thread (or TID): type, message, inner ones, stack
          monitor dumpobj ADDR         the managed object at ADDR: type, size, fields, an array's first elements
          monitor statics TYPE         the static fields of .NET type TYPE (Namespace.Type, Outer+Nested) and their values

        """;

    public string Stack(Tid? only, bool variables)
    {
        using var runtime = Open();
        var text = new StringBuilder();
        foreach (var thread in Threads(runtime, only))
        {
            Func<ManagedFrame, ManagedVariables>? variablesOf = variables ? frame => runtime.VariablesOf(thread.Tid, frame) : null;
            text.Append(SosText.Stack(thread, runtime.StackOf(thread.Tid), variablesOf)).Append('\n');
        }
        return text.ToString();
    }

    public string Exception(Tid? only)
    {
        using var runtime = Open();
        var text = new StringBuilder();
        foreach (var thread in Threads(runtime, only))
        {
            if (runtime.ExceptionOf(thread.Tid) is { } exception)
            {
                text.Append(SosText.Exception(thread, exception)).Append('\n');
            }
        }
        return text.Length > 0 ? text.ToString()
            : $"no .NET exception in flight {(only is { } tid ? $"on thread {tid} " : "")}at event {session.Timeline.Now.Event:N0}\n";
    }

    public string DumpObject(ulong address)
    {
        using var runtime = Open();
        return runtime.ObjectAt(address) is { } obj ? SosText.Object(obj)
            : $"0x{address:x} is not the address of a managed object at event {session.Timeline.Now.Event:N0}\n";
    }

    public string Statics(string typeName)
    {
        using var runtime = Open();
        return runtime.StaticsOf(typeName) is { } statics ? SosText.Statics(statics)
            : $"no loaded module defines the type {typeName} at event {session.Timeline.Now.Event:N0} (name it in full: Namespace.Type, Outer+Nested)\n";
    }

    /// <summary>A thread as users name it: its tid in decimal, as gdb's "Thread 9797.9811" shows it.</summary>
    public static Tid? ParseThread(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int tid) && tid > 0 ? new Tid(tid) : null;

    /// <summary>An address as SOS takes one: hexadecimal, with or without 0x.</summary>
    public static ulong? ParseAddress(string text) =>
        ulong.TryParse(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong address) ? address : null;

    private ManagedRuntime Open() => ManagedRuntime.Open(session.Timeline)
        ?? throw new RewindException($"no .NET runtime is loaded at event {session.Timeline.Now.Event:N0} (libcoreclr.so is not mapped: a native program, a .NET one before its runtime starts, or a NativeAOT app); native debugging works as usual");

    private IEnumerable<ManagedThread> Threads(ManagedRuntime runtime, Tid? only)
    {
        var threads = runtime.Threads;
        if (only is not { } tid)
        {
            return threads;
        }
        return threads.Where(t => t.Tid == tid).Take(1).ToList() is [_] one ? one
            : throw new RewindException($"thread {tid} is not a .NET thread at event {session.Timeline.Now.Event:N0}");
    }
}
