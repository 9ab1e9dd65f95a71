using System.Text.Json;

namespace Rewind.Dap.Handlers;

/// <summary>Serves one DAP command. Throws <see cref="RewindException"/> to answer an error.</summary>
public interface IRequestHandler
{
    string Command { get; }

    /// <summary>Handles the request's raw arguments and returns the response body, if any.</summary>
    JsonElement? Handle(JsonElement? arguments, DapContext context);
}
