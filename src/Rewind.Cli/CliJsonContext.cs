using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Cli;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TraceInfo))]
[JsonSerializable(typeof(IReadOnlyList<Commands.ProcessEntry>))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>For output read by people and tools: "+" and non-ASCII as they are, not \u escapes (the output is no HTML).</summary>
    public static CliJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
