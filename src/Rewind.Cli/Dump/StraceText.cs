using System.Text;

namespace Rewind.Cli.Dump;

/// <summary>How strace writes values: strings escaped C-style and cut at 32 bytes, flags as names joined by '|'.</summary>
internal static class StraceText
{
    /// <summary>strace's default -s: the bytes of a buffer shown before "...".</summary>
    public const int StringLimit = 32;

    /// <summary>A string argument: quoted, escaped, the whole of it.</summary>
    public static string Path(string path) => Quote(Encoding.UTF8.GetBytes(path), int.MaxValue);

    /// <summary>
    /// Bytes as strace quotes them: \t \n \v \f \r \" \\ by name, other bytes outside printable
    /// ASCII in octal (three digits when a digit follows), "..." after the first <paramref name="limit"/>.
    /// </summary>
    public static string Quote(ReadOnlySpan<byte> data, int limit = StringLimit)
    {
        var text = new StringBuilder("\"");
        int shown = Math.Min(data.Length, limit);
        for (int i = 0; i < shown; i++)
        {
            byte b = data[i];
            switch (b)
            {
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'\n': text.Append("\\n"); break;
                case 0x0b: text.Append("\\v"); break;
                case 0x0c: text.Append("\\f"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case >= 0x20 and < 0x7f: text.Append((char)b); break;
                default:
                    bool digitNext = i + 1 < shown && data[i + 1] is >= (byte)'0' and <= (byte)'7';
                    text.Append('\\').Append(digitNext ? Convert.ToString(b, 8).PadLeft(3, '0') : Convert.ToString(b, 8));
                    break;
            }
        }
        text.Append('"');
        return data.Length > shown ? text.Append("...").ToString() : text.ToString();
    }

    /// <summary>
    /// <paramref name="value"/> as the names of its bits in <paramref name="flags"/> (in table order, a
    /// name whose bits are all set taking them), the bits no name covers in hex; <paramref name="none"/> for 0.
    /// </summary>
    public static string Flags(ulong value, IReadOnlyList<(ulong Bits, string Name)> flags, string none = "0")
    {
        if (value == 0)
        {
            return none;
        }
        var names = new List<string>();
        foreach (var (bits, name) in flags)
        {
            if (bits != 0 && (value & bits) == bits)
            {
                names.Add(name);
                value &= ~bits;
            }
        }
        if (value != 0)
        {
            names.Add($"0x{value:x}");
        }
        return string.Join('|', names);
    }

    public static string Hex(ulong value) => value == 0 ? "NULL" : $"0x{value:x}";
}
