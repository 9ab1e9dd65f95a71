using Rewind.Symbols.Dotnet;

namespace Rewind.Cli.Dotnet;

/// <summary>A frame as gdb's backtrace prints one: "#N  0xPC in FUNCTION at FILE:LINE", or "from MODULE" without a line.</summary>
internal static class FrameText
{
    public static string Of(int index, MixedFrame frame)
    {
        string where = frame.Line is { } line ? $" at {line.File}:{line.Line}"
            : frame.Module is { } module ? $" from {module}"
            : frame.IsManaged ? " (managed, no PDB in the trace)"
            : "";
        return $"#{index,-3}0x{frame.Pc:x16} in {frame.Function}{where}";
    }
}
