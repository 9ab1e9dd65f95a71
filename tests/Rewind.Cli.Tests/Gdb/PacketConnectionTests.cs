using System.Text;
using Rewind.Cli.Gdb;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>The framing alone, over memory streams: checksums, acks, escapes, interrupts, damage.</summary>
public sealed class PacketConnectionTests
{
    private static (PacketConnection Connection, MemoryStream Sent) Over(string incoming)
    {
        var sent = new MemoryStream();
        return (new PacketConnection(new MemoryStream(Encoding.Latin1.GetBytes(incoming)), sent), sent);
    }

    private static string Text(MemoryStream s) => Encoding.Latin1.GetString(s.ToArray());

    [Fact]
    public void AGoodPacketIsAcknowledgedAndReturned()
    {
        var (c, sent) = Over("+$qSupported:multiprocess+#c6");
        Assert.Equal("qSupported:multiprocess+", c.Read());
        Assert.Equal("+", Text(sent));
        Assert.Null(c.Read());
    }

    [Fact]
    public void ABadChecksumIsRefusedAndTheNextPacketStillRead()
    {
        var (c, sent) = Over("$g#00$g#67");
        Assert.Equal("g", c.Read());
        Assert.Equal("-+", Text(sent));
    }

    [Fact]
    public void WithoutAcksNothingIsAcknowledgedAndChecksumsAreTrusted()
    {
        var (c, sent) = Over("$g#00");
        c.NoAck = true;
        Assert.Equal("g", c.Read());
        Assert.Equal("", Text(sent));
    }

    [Fact]
    public void EscapedBytesAreRestored()
    {
        // "X}" + ('#' ^ 0x20) carries a '#'; the checksum covers the bytes as sent.
        string body = "X}\u0003";
        byte sum = 0;
        foreach (char ch in body)
            sum += (byte)ch;
        var (c, _) = Over($"${body}#{sum:x2}");
        Assert.Equal("X#", c.Read());
    }

    [Fact]
    public void AnInterruptByteIsAPacketOfItsOwn()
    {
        var (c, _) = Over("\u0003$g#67");
        Assert.Equal(PacketConnection.Interrupt, c.Read());
        Assert.Equal("g", c.Read());
    }

    [Fact]
    public void AConnectionCutMidPacketEndsReading()
    {
        var (c, _) = Over("$qSupp");
        Assert.Null(c.Read());
        var (d, _) = Over("$g#6");
        Assert.Null(d.Read());
    }

    [Fact]
    public void AnOversizedPacketIsRefusedNotBuffered()
    {
        var (c, sent) = Over("$" + new string('m', PacketConnection.MaxIncoming + 10) + "#00$g#67");
        Assert.Equal("g", c.Read());
        Assert.Equal("-+", Text(sent));
    }

    [Fact]
    public void RepliesAreChecksummedAndSpecialBytesEscaped()
    {
        var (c, sent) = Over("");
        c.Send("OK");
        c.Send("a$b#c}d*e");
        Assert.Equal("$OK#9a$a}\u0004b}\u0003c}]d}\u000ae#", Text(sent)[..^2]);
        // The checksum is of the escaped bytes.
        string escaped = "a}\u0004b}\u0003c}]d}\u000ae";
        byte sum = 0;
        foreach (char ch in escaped)
            sum += (byte)ch;
        Assert.EndsWith(sum.ToString("x2"), Text(sent));
    }

    [Fact]
    public void ANackResendsTheLastReply()
    {
        var (c, sent) = Over("-");
        c.Send("OK");
        Assert.Null(c.Read());
        Assert.Equal("$OK#9a$OK#9a", Text(sent));
    }
}
