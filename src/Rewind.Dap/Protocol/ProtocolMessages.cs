using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Dap.Protocol;

// The base protocol (DAP specification, "Base Protocol"): every message is a ProtocolMessage
// with a sequence number and a type. Arguments and bodies stay JsonElement here: the
// handler that knows the command turns them into typed records with the source-generated
// context, so the envelope never needs reflection.

/// <summary>A request from the client: <c>{"seq", "type": "request", "command", "arguments"}</c>.</summary>
public sealed record Request(
    int Seq,
    string Command,
    JsonElement? Arguments = null,
    string Type = MessageTypes.Request);

/// <summary>The answer to one request; <c>Message</c> is the short error text when <c>Success</c> is false.</summary>
public sealed record Response(
    int Seq,
    [property: JsonPropertyName("request_seq")] int RequestSeq,
    bool Success,
    string Command,
    string? Message = null,
    JsonElement? Body = null,
    string Type = MessageTypes.Response);

/// <summary>A notification from the adapter: <c>{"seq", "type": "event", "event", "body"}</c>.</summary>
public sealed record Event(
    int Seq,
    [property: JsonPropertyName("event")] string EventName,
    JsonElement? Body = null,
    string Type = MessageTypes.Event);

/// <summary>Only the fields every message has: read first to decide what the rest is.</summary>
public sealed record ProtocolMessage(int Seq, string Type);

public static class MessageTypes
{
    public const string Request = "request";
    public const string Response = "response";
    public const string Event = "event";
}

/// <summary>The body of an error response.</summary>
public sealed record ErrorResponseBody(Message? Error = null);

/// <summary>A structured error message; <c>Format</c> may hold <c>{name}</c> placeholders filled from <c>Variables</c>.</summary>
public sealed record Message(
    int Id,
    string Format,
    IReadOnlyDictionary<string, string>? Variables = null,
    bool? SendTelemetry = null,
    bool? ShowUser = null,
    string? Url = null,
    string? UrlLabel = null);
