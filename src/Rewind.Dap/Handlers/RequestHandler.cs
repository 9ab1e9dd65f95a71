using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Rewind.Dap.Handlers;

/// <summary>
/// A handler with typed arguments and a typed body. Absent arguments read as <c>{}</c>, so a
/// command whose arguments are all optional works without them and one with a required
/// field answers "invalid arguments" naming it.
/// </summary>
public abstract class RequestHandler<TArguments, TBody> : IRequestHandler
{
    public abstract string Command { get; }

    protected abstract JsonTypeInfo<TArguments> ArgumentsType { get; }

    protected abstract JsonTypeInfo<TBody> BodyType { get; }

    protected abstract TBody Handle(TArguments arguments, DapContext context);

    public JsonElement? Handle(JsonElement? arguments, DapContext context)
    {
        var body = Handle(ArgumentParser.Parse(Command, arguments, ArgumentsType), context);
        return body is null ? null : JsonSerializer.SerializeToElement(body, BodyType);
    }
}

/// <summary>A handler with typed arguments whose response has no body.</summary>
public abstract class RequestHandler<TArguments> : IRequestHandler
{
    public abstract string Command { get; }

    protected abstract JsonTypeInfo<TArguments> ArgumentsType { get; }

    protected abstract void Handle(TArguments arguments, DapContext context);

    public JsonElement? Handle(JsonElement? arguments, DapContext context)
    {
        Handle(ArgumentParser.Parse(Command, arguments, ArgumentsType), context);
        return null;
    }
}

internal static class ArgumentParser
{
    public static T Parse<T>(string command, JsonElement? arguments, JsonTypeInfo<T> type)
    {
        try
        {
            var value = arguments is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } present
                ? present.Deserialize(type)
                : JsonSerializer.Deserialize("{}"u8, type);
            return value ?? throw new DapException($"invalid arguments for '{command}': null");
        }
        catch (JsonException e)
        {
            throw new DapException($"invalid arguments for '{command}': {e.Message}");
        }
    }
}
