namespace Rewind.Dap;

/// <summary>A request the adapter refuses; its message becomes the error response's text as it is.</summary>
public sealed class DapException(string message) : RewindException(message);
