using System.Globalization;
using System.Text;

namespace Rewind.Cli.Gdb;

/// <summary>
/// The remote protocol's number and byte encodings: numbers in hex without prefix, byte strings
/// as two hex digits a byte. Parsing throws <see cref="GdbProtocolException"/> on bad input, so a
/// malformed packet becomes an error reply.
/// </summary>
internal static class GdbHex
{
    public static ulong ParseNumber(ReadOnlySpan<char> text) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new GdbProtocolException($"'{text}' is not a hex number");

    /// <summary>A hex number that must fit an int (lengths, register numbers, descriptors).</summary>
    public static int ParseInt(ReadOnlySpan<char> text)
    {
        ulong value = ParseNumber(text);
        return value <= int.MaxValue ? (int)value : throw new GdbProtocolException($"'{text}' is out of range");
    }

    /// <summary>A signed hex number, as thread ids ("-1" for all) are written.</summary>
    public static long ParseSigned(ReadOnlySpan<char> text) =>
        text.StartsWith("-") ? -(long)ParseNumber(text[1..]) : (long)ParseNumber(text);

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string EncodeText(string text) => Encode(Encoding.UTF8.GetBytes(text));

    public static byte[] Decode(ReadOnlySpan<char> hex)
    {
        if (hex.Length % 2 != 0)
        {
            throw new GdbProtocolException("an odd number of hex digits");
        }
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new GdbProtocolException("bad hex digits");
        }
    }

    public static string DecodeText(ReadOnlySpan<char> hex) => Encoding.UTF8.GetString(Decode(hex));

    /// <summary>"ADDR,LENGTH": how memory reads, breakpoints and qXfer ranges are written.</summary>
    public static (ulong Address, int Length) ParseRange(ReadOnlySpan<char> text)
    {
        int comma = text.IndexOf(',');
        if (comma < 0)
        {
            throw new GdbProtocolException("expected ADDR,LENGTH");
        }
        return (ParseNumber(text[..comma]), ParseInt(text[(comma + 1)..]));
    }
}
