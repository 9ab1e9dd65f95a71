using System.Text.Json.Serialization;

namespace Rewind.Trace;

/// <summary>
/// Source-generated JSON for the Header chunk: no reflection at run time (trimming and AOT
/// safe). Missing or null required members are errors rather than silent nulls; unknown
/// members are ignored so that a newer writer may add fields without a format bump.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(TraceHeader))]
[JsonSerializable(typeof(TraceSummary))]
[JsonSerializable(typeof(Hibernation.ProcessResources))]
public sealed partial class TraceJsonContext : JsonSerializerContext;
