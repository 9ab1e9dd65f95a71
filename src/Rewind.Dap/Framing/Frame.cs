namespace Rewind.Dap.Framing;

/// <summary>
/// One result of <see cref="MessageReader.Read"/>: a message body, or the reason a framed
/// message had to be dropped (the reader has already resynchronized on the next header).
/// </summary>
public readonly record struct Frame(byte[]? Body, string? Error)
{
    public static Frame Message(byte[] body) => new(body, null);

    public static Frame Dropped(string error) => new(null, error);

    public bool IsMessage => Body is not null;
}
