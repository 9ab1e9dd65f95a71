namespace Rewind.Symbols.Tests.Support;

/// <summary>What gdb printed at one stop, and the core file it wrote there.</summary>
internal sealed record GdbStop(
    IReadOnlyList<GdbFrame> Backtrace,
    IReadOnlyList<(string Name, string Value)> Arguments,
    IReadOnlyList<(string Name, string Value)> Locals,
    IReadOnlyList<(string Name, string Value)> CallerArguments,
    IReadOnlyList<(string Name, string Value)> CallerLocals,
    IReadOnlyList<IReadOnlyList<(string Name, string Value)>> FrameLocals,
    string CorePath,
    string Transcript);
