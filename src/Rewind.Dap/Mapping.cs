using System.Globalization;
using Rewind.Dap.Protocol;
using Rewind.Dap.Session;

namespace Rewind.Dap;

/// <summary>Mapping functions between the engine's domain types and the DAP message types.</summary>
public static class Mapping
{
    public static string ToDap(StopReason reason) => reason switch
    {
        StopReason.Entry => StopReasons.Entry,
        StopReason.Step => StopReasons.Step,
        StopReason.Breakpoint => StopReasons.Breakpoint,
        StopReason.FunctionBreakpoint => StopReasons.FunctionBreakpoint,
        StopReason.DataBreakpoint => StopReasons.DataBreakpoint,
        StopReason.InstructionBreakpoint => StopReasons.InstructionBreakpoint,
        StopReason.Signal => StopReasons.Exception,
        StopReason.Pause => StopReasons.Pause,
        StopReason.Goto => StopReasons.Goto,
        // Not in the specification's list, which is open: VS Code shows the text as it is.
        StopReason.StartOfTrace => "start of trace",
        StopReason.EndOfTrace => "end of trace",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static string ToDap(OutputKind kind) => kind switch
    {
        OutputKind.Stdout => OutputCategories.Stdout,
        OutputKind.Stderr => OutputCategories.Stderr,
        _ => OutputCategories.Console,
    };

    public static string ToDap(ScopeKind kind) => kind switch
    {
        ScopeKind.Arguments => "arguments",
        ScopeKind.Locals => "locals",
        ScopeKind.Registers => "registers",
        _ => "globals",
    };

    public static string ToDap(DataAccess access) => access switch
    {
        DataAccess.Read => DataBreakpointAccessTypes.Read,
        DataAccess.ReadWrite => DataBreakpointAccessTypes.ReadWrite,
        _ => DataBreakpointAccessTypes.Write,
    };

    public static DataAccess ToDataAccess(string? accessType) => accessType switch
    {
        null or DataBreakpointAccessTypes.Write => DataAccess.Write,
        DataBreakpointAccessTypes.Read => DataAccess.Read,
        DataBreakpointAccessTypes.ReadWrite => DataAccess.ReadWrite,
        _ => throw new DapException($"unknown data breakpoint access type '{accessType}'"),
    };

    public static StepGranularity ToGranularity(string? granularity) => granularity switch
    {
        null or SteppingGranularities.Line => StepGranularity.Line,
        SteppingGranularities.Statement => StepGranularity.Statement,
        SteppingGranularities.Instruction => StepGranularity.Instruction,
        _ => throw new DapException($"unknown stepping granularity '{granularity}'"),
    };

    public static EvaluationContext ToEvaluationContext(string? context) => context switch
    {
        EvaluateContexts.Hover => EvaluationContext.Hover,
        EvaluateContexts.Repl => EvaluationContext.Repl,
        EvaluateContexts.Variables => EvaluationContext.Variables,
        EvaluateContexts.Clipboard => EvaluationContext.Clipboard,
        _ => EvaluationContext.Watch,
    };

    /// <summary>Memory and instruction references are addresses in hexadecimal: "0x401000".</summary>
    public static string ToReference(RemotePtr address) => $"0x{address.Value:x}";

    /// <summary>Reads "0x401000" (or a decimal address); the error names the bad reference.</summary>
    public static RemotePtr ParseReference(string reference)
    {
        var text = reference.Trim();
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok ? new RemotePtr(value) : throw new DapException($"'{reference}' is not a memory reference (expected an address like 0x401000)");
    }

    /// <summary>An address moved by a signed offset, wrapping as the CPU does.</summary>
    public static RemotePtr Offset(RemotePtr address, long offset) => new(unchecked(address.Value + (ulong)offset));

    public static Source ToSource(string path) => new(Name: System.IO.Path.GetFileName(path), Path: path);
}
