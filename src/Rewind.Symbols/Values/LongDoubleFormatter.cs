using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Rewind.Symbols.Values;

/// <summary>
/// x87 80-bit long doubles printed as gdb prints them: printf's %.21Lg (64 mantissa bits give
/// 21 significant digits), computed exactly with big integers rather than through a double.
/// </summary>
internal static class LongDoubleFormatter
{
    private const int Precision = 21;

    public static string Format(ReadOnlySpan<byte> bytes)
    {
        ulong mantissa = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        int signExponent = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
        bool negative = (signExponent & 0x8000) != 0;
        int exponent = signExponent & 0x7fff;
        string sign = negative ? "-" : "";
        if (exponent == 0x7fff)
            return (mantissa << 1) == 0 ? sign + "inf" : sign + $"nan(0x{mantissa & 0x3fff_ffff_ffff_ffff:x})";
        if (mantissa == 0)
            return sign + "0";
        // value = mantissa * 2^shift, exactly (denormals use the minimum exponent).
        int shift = (exponent == 0 ? 1 : exponent) - 16383 - 63;
        BigInteger numerator = mantissa, denominator = BigInteger.One;
        if (shift >= 0)
            numerator <<= shift;
        else
            denominator <<= -shift;
        // Decimal exponent: 10^e <= value < 10^(e+1).
        int e = (int)Math.Floor(BigInteger.Log10(numerator) - BigInteger.Log10(denominator));
        while (Compare(numerator, denominator, e) < 0)
            e--;
        while (Compare(numerator, denominator, e + 1) >= 0)
            e++;
        // digits = round-half-even(value * 10^(Precision - 1 - e))
        int scale = Precision - 1 - e;
        BigInteger n = numerator, d = denominator;
        if (scale >= 0)
            n *= BigInteger.Pow(10, scale);
        else
            d *= BigInteger.Pow(10, -scale);
        var digits = BigInteger.DivRem(n, d, out var remainder);
        int half = (remainder * 2).CompareTo(d);
        if (half > 0 || (half == 0 && !digits.IsEven))
            digits++;
        if (digits == BigInteger.Pow(10, Precision))
        {
            digits /= 10;
            e++;
        }
        string text = digits.ToString(CultureInfo.InvariantCulture);
        return sign + (e < -4 || e >= Precision ? Exponential(text, e) : Fixed(text, e));
    }

    /// <summary>Sign of value - 10^power, for value = numerator / denominator.</summary>
    private static int Compare(BigInteger numerator, BigInteger denominator, int power) =>
        power >= 0
            ? numerator.CompareTo(denominator * BigInteger.Pow(10, power))
            : (numerator * BigInteger.Pow(10, -power)).CompareTo(denominator);

    private static string Exponential(string digits, int e)
    {
        string fraction = digits[1..].TrimEnd('0');
        var sb = new StringBuilder().Append(digits[0]);
        if (fraction.Length > 0)
            sb.Append('.').Append(fraction);
        return sb.Append(e < 0 ? "e-" : "e+").Append(Math.Abs(e).ToString("00", CultureInfo.InvariantCulture)).ToString();
    }

    private static string Fixed(string digits, int e)
    {
        string whole, fraction;
        if (e >= 0)
        {
            whole = digits[..(e + 1)];
            fraction = digits[(e + 1)..];
        }
        else
        {
            whole = "0";
            fraction = new string('0', -e - 1) + digits;
        }
        fraction = fraction.TrimEnd('0');
        return fraction.Length > 0 ? whole + "." + fraction : whole;
    }
}
