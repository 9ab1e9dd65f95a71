namespace Rewind.Cli.Gdb;

/// <summary>
/// Registers (g, p) and memory (m) at the present; their writes (G, P, M, X) are refused. Memory
/// is read as the program sees it: the timeline already hides its own breakpoints.
/// </summary>
internal sealed class StatePackets(GdbSession session) : IPacketHandler
{
    private const int EFAULT = 14;

    public string? Handle(string packet) => packet[0] switch
    {
        'g' when packet.Length == 1 => GdbHex.Encode(session.ReadRegisters().All),
        'p' => ReadRegister(packet.AsSpan(1)),
        'm' => ReadMemory(packet.AsSpan(1)),
        'G' or 'P' or 'M' or 'X' => Replies.WriteRefused,
        _ => null,
    };

    private string ReadRegister(ReadOnlySpan<char> text)
    {
        // "p n" may carry ";thread:…" after the number.
        int semicolon = text.IndexOf(';');
        int number = GdbHex.ParseInt(semicolon < 0 ? text : text[..semicolon]);
        var registers = session.ReadRegisters();
        return number < registers.Count ? GdbHex.Encode(registers.One(number)) : Replies.Error(0);
    }

    private string ReadMemory(ReadOnlySpan<char> text)
    {
        var (address, length) = GdbHex.ParseRange(text);
        // Two hex digits a byte must fit in one packet.
        var buffer = new byte[Math.Min(length, QueryPackets.PacketSize / 2 - 8)];
        int read = buffer.Length == 0 ? 0 : session.Timeline.ReadMemory(new RemotePtr(address), buffer);
        return read > 0 || buffer.Length == 0 ? GdbHex.Encode(buffer.AsSpan(0, read)) : Replies.Error(EFAULT);
    }
}
