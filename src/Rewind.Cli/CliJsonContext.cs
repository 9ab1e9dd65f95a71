using System.Text.Json.Serialization;

namespace Rewind.Cli;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TraceInfo))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
