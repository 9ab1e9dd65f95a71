using System.Reflection;
using System.Text.Json.Serialization;

namespace Rewind.Trace;

/// <summary>
/// What a trace says about its own recording: stored as indented JSON in the Header chunk,
/// so `lz4 -d` of that chunk is readable. The environment is recorded verbatim and often
/// holds secrets (tokens, passwords): a trace must be shared with that in mind.
/// </summary>
public sealed record TraceHeader(
    int FormatVersion,
    string RewindVersion,
    DateTime CreatedUtc,
    IReadOnlyList<string> CommandLine,
    string WorkingDirectory,
    IReadOnlyList<string> Environment,
    TraceMachine Machine)
{
    /// <summary>
    /// Written by `rewind hibernate`: the file is a hibernation image, which the header tells
    /// even of a copy cut off before its Process chunk. Left out of a recording's header.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Hibernation { get; init; }

    /// <summary>A header for a recording made now, on this machine, of <paramref name="argv"/>.</summary>
    public static TraceHeader ForThisMachine(IReadOnlyList<string> argv, string cwd, IReadOnlyList<string> env) => new(
        TraceFormat.CurrentVersion,
        ThisRewindVersion(),
        DateTime.UtcNow,
        argv,
        cwd,
        env,
        TraceMachine.Current());

    private static string ThisRewindVersion()
    {
        Assembly assembly = typeof(TraceHeader).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
