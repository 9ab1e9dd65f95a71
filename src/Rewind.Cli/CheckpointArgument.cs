using Rewind.Trace;

namespace Rewind.Cli;

/// <summary>A checkpoint named on the command line: its number, or "last", the last one a replay can start from.</summary>
internal static class CheckpointArgument
{
    /// <summary>The checkpoint <paramref name="text"/> names in <paramref name="trace"/>; null when the option was not given.</summary>
    public static int? Parse(string option, string? text, TraceFile trace, string path) => text switch
    {
        null => null,
        "last" => trace.Starts.Select(c => (int?)c.Index).Max() ?? throw new RewindException($"{path} has no checkpoints"),
        _ => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n
            : throw new UsageException($"{option} takes a number or 'last', not '{text}'"),
    };
}
