using System.Text;
using Rewind.Dap.Framing;

namespace Rewind.Dap.Tests;

public class FramingTests
{
    private static MessageReader ReaderOf(string wire, int maxBodyLength = MessageReader.DefaultMaxBodyLength) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(wire)), maxBodyLength);

    private static string Text(Frame? frame)
    {
        Assert.NotNull(frame);
        Assert.True(frame.Value.IsMessage, $"expected a message, got: {frame.Value.Error}");
        return Encoding.UTF8.GetString(frame.Value.Body!);
    }

    private static string Error(Frame? frame)
    {
        Assert.NotNull(frame);
        Assert.False(frame.Value.IsMessage);
        return frame.Value.Error!;
    }

    [Fact]
    public void WrittenMessagesReadBackInOrder()
    {
        var stream = new MemoryStream();
        var writer = new MessageWriter(stream);
        writer.Write("{\"seq\":1}"u8);
        writer.Write("{\"text\":\"héllo → ✓\"}"u8.ToArray());
        writer.Write(""u8);

        stream.Position = 0;
        var reader = new MessageReader(stream);
        Assert.Equal("{\"seq\":1}", Text(reader.Read()));
        Assert.Equal("{\"text\":\"héllo → ✓\"}", Text(reader.Read()));
        Assert.Equal("", Text(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void ContentLengthCountsBytesNotCharacters()
    {
        var stream = new MemoryStream();
        new MessageWriter(stream).Write(Encoding.UTF8.GetBytes("\"✓\""));
        Assert.StartsWith("Content-Length: 5\r\n\r\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void ToleratesBareNewlinesOtherHeadersAndAnyHeaderCase()
    {
        var reader = ReaderOf("content-length: 2\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n{}" +
                              "\r\n\r\nCONTENT-LENGTH:3\r\n\r\n[1]");
        Assert.Equal("{}", Text(reader.Read()));
        Assert.Equal("[1]", Text(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void EmptyInputIsTheEnd() => Assert.Null(ReaderOf("").Read());

    [Fact]
    public void MissingContentLengthIsDroppedAndReadingGoesOn()
    {
        var reader = ReaderOf("Content-Type: json\r\n\r\nContent-Length: 2\r\n\r\n{}");
        Assert.Equal("missing Content-Length header", Error(reader.Read()));
        Assert.Equal("{}", Text(reader.Read()));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("")]
    [InlineData("99999999999999999999999")]
    [InlineData("0x10")]
    public void BadContentLengthIsDropped(string length)
    {
        var reader = ReaderOf($"Content-Length: {length}\r\n\r\nContent-Length: 2\r\n\r\n{{}}");
        Assert.StartsWith("bad Content-Length", Error(reader.Read()));
        Assert.Equal("{}", Text(reader.Read()));
    }

    [Fact]
    public void OversizedBodyIsSkippedWithoutLosingTheNextMessage()
    {
        var reader = ReaderOf("Content-Length: 100\r\n\r\n" + new string('x', 100) + "Content-Length: 2\r\n\r\n{}", maxBodyLength: 50);
        Assert.Equal("message of 100 bytes exceeds the limit of 50 bytes", Error(reader.Read()));
        Assert.Equal("{}", Text(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void HugeAnnouncedLengthEndsQuietlyAtEndOfInput()
    {
        var reader = ReaderOf("Content-Length: 2000000000\r\n\r\n{}");
        Assert.Equal("input ended inside an oversized message body", Error(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void TruncatedBodyIsReported()
    {
        var reader = ReaderOf("Content-Length: 10\r\n\r\n{}");
        Assert.Equal("input ended inside a message body of 10 bytes", Error(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        var reader = ReaderOf("Content-Length: 10\r\n");
        Assert.Equal("input ended inside a message header", Error(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void EndlessHeaderLineIsDroppedWithoutBufferingIt()
    {
        var reader = ReaderOf(new string('a', 100_000) + "\r\n\r\nContent-Length: 2\r\n\r\n{}");
        Assert.Contains("header line longer than", Error(reader.Read()));
        Assert.Equal("{}", Text(reader.Read()));
    }

    [Fact]
    public void JunkBeforeAHeaderIsSkipped()
    {
        // A client that wrote raw JSON without a header: the next header still frames its message.
        var reader = ReaderOf("{\"seq\":1}\r\nContent-Length: 2\r\n\r\n{}");
        Assert.Equal("{}", Text(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void JunkAloneIsReportedAsMissingHeader()
    {
        var reader = ReaderOf("hello\r\n\r\n");
        Assert.Equal("missing Content-Length header (malformed header line 'hello')", Error(reader.Read()));
        Assert.Null(reader.Read());
    }

    [Fact]
    public void BodyArrivingInSmallPiecesIsAssembled()
    {
        var wire = Encoding.UTF8.GetBytes("Content-Length: 11\r\n\r\n{\"a\":12345}");
        var reader = new MessageReader(new TrickleStream(wire));
        Assert.Equal("{\"a\":12345}", Text(reader.Read()));
        Assert.Null(reader.Read());
    }

    /// <summary>Returns one byte per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));
    }
}
