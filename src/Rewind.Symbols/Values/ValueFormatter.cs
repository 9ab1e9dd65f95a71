using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Rewind.Symbols.Values;

/// <summary>Formats values the way gdb 13 prints them with its default settings.</summary>
internal static partial class ValueFormatter
{
    public const string OptimizedOutText = "<optimized out>";

    public static string Format(DebugType type, ValueData value, FormatContext context, int depth = 0)
    {
        if (ReferenceEquals(value, ValueData.SyntheticPointer))
            return "<synthetic pointer>";
        if (value.Error is { } error)
            return $"<error: {error}>";
        if (value.IsOptimizedOut)
            return OptimizedOutText;
        if (depth > FormatContext.MaxDepth)
            return "{...}";
        var t = type.Resolved;
        switch (t.Kind)
        {
            case TypeKind.Struct or TypeKind.Union or TypeKind.Class:
                return FormatStruct(t, value, context, depth);
            case TypeKind.Array:
                return FormatArray(t, value, context, depth);
            case TypeKind.Function:
                return value.Address is { } fa ? $"{{{t.DisplayName}}} 0x{fa:x}{Symbol(fa, context)}" : "{...}";
            case TypeKind.Void:
                return "void";
        }
        ulong size = Math.Min(t.ByteSize, 16);
        if (size == 0)
            return "<incomplete type>";
        if (value.AnyUnavailable(0, size))
            return OptimizedOutText;
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        if (!value.TryRead(0, bytes[..(int)size], context.Memory))
            return $"<error: Cannot access memory at address 0x{value.Address ?? 0:x}>";
        return FormatScalar(t, bytes[..(int)size], context);
    }

    public static string FormatScalar(DebugType t, ReadOnlySpan<byte> bytes, FormatContext context)
    {
        ulong raw = ReadUnsigned(bytes);
        switch (t.Kind)
        {
            case TypeKind.Pointer or TypeKind.Reference:
                return FormatPointer(t, raw, context);
            case TypeKind.Enum:
                return FormatEnum(t, raw, bytes.Length);
        }
        switch (t.Encoding)
        {
            case DwarfEncoding.Boolean:
                return raw switch { 0 => "false", 1 => "true", _ => raw.ToString(CultureInfo.InvariantCulture) };
            case DwarfEncoding.Float:
                return FormatFloat(bytes);
            case DwarfEncoding.SignedChar or DwarfEncoding.UnsignedChar when bytes.Length == 1:
                long c = t.Encoding == DwarfEncoding.SignedChar ? (sbyte)bytes[0] : bytes[0];
                return $"{c} {CharLiteral(bytes[0])}";
            case DwarfEncoding.Signed or DwarfEncoding.SignedChar:
                return SignExtend(raw, bytes.Length).ToString(CultureInfo.InvariantCulture);
            case DwarfEncoding.Unsigned or DwarfEncoding.UnsignedChar or DwarfEncoding.Utf or DwarfEncoding.Address:
                return raw.ToString(CultureInfo.InvariantCulture);
            default:
                return raw.ToString(CultureInfo.InvariantCulture);
        }
    }

    internal static ulong ReadUnsigned(ReadOnlySpan<byte> bytes)
    {
        Span<byte> eight = stackalloc byte[8];
        eight.Clear();
        bytes[..Math.Min(8, bytes.Length)].CopyTo(eight);
        return BinaryPrimitives.ReadUInt64LittleEndian(eight);
    }

    internal static long SignExtend(ulong raw, int size) =>
        size >= 8 ? (long)raw : (long)(raw << (64 - size * 8)) >> (64 - size * 8);

    private static string FormatEnum(DebugType t, ulong raw, int size)
    {
        long v = t.IsSigned ? SignExtend(raw, size) : (long)raw;
        foreach (var (name, value) in t.Enumerators)
            if (value == v || (ulong)value == raw)
                return name;
        // gdb prints a combination of flag enumerators as (A | B), anything else as a number.
        if (v > 0 && t.Enumerators.Count > 0 && t.Enumerators.All(e => e.Value >= 0 && (e.Value & (e.Value - 1)) == 0))
        {
            var parts = new List<string>();
            long rest = v;
            foreach (var (name, value) in t.Enumerators)
                if (value != 0 && (rest & value) == value)
                {
                    parts.Add(name);
                    rest &= ~value;
                }
            if (parts.Count > 0)
            {
                if (rest != 0)
                    parts.Add($"unknown: 0x{rest:x}");
                return "(" + string.Join(" | ", parts) + ")";
            }
        }
        return v.ToString(CultureInfo.InvariantCulture);
    }

    private static string FormatFloat(ReadOnlySpan<byte> bytes)
    {
        string s;
        if (bytes.Length == 4)
        {
            float f = BinaryPrimitives.ReadSingleLittleEndian(bytes);
            if (float.IsNaN(f))
                return (BinaryPrimitives.ReadUInt32LittleEndian(bytes) >> 31 != 0 ? "-" : "") + $"nan(0x{BinaryPrimitives.ReadUInt32LittleEndian(bytes) & 0x7fffff:x})";
            s = float.IsInfinity(f) ? (f < 0 ? "-inf" : "inf") : ((double)f).ToString("G9", CultureInfo.InvariantCulture);
            if (!float.IsInfinity(f))
                s = f.ToString("G9", CultureInfo.InvariantCulture);
        }
        else if (bytes.Length == 8)
        {
            double d = BinaryPrimitives.ReadDoubleLittleEndian(bytes);
            if (double.IsNaN(d))
                return (BinaryPrimitives.ReadUInt64LittleEndian(bytes) >> 63 != 0 ? "-" : "") + $"nan(0x{BinaryPrimitives.ReadUInt64LittleEndian(bytes) & 0xfffffffffffff:x})";
            s = double.IsInfinity(d) ? (d < 0 ? "-inf" : "inf") : d.ToString("G17", CultureInfo.InvariantCulture);
        }
        else if (bytes.Length >= 10)
        {
            return LongDoubleFormatter.Format(bytes);
        }
        else
        {
            return ReadUnsigned(bytes).ToString(CultureInfo.InvariantCulture);
        }
        return CLikeExponent(s);
    }

    /// <summary>%g writes "1e+20" and "1e-05" where .NET writes "1E+20" and "1E-05".</summary>
    private static string CLikeExponent(string s) => s.Replace("E", "e", StringComparison.Ordinal);

    private static string Symbol(ulong address, FormatContext context) =>
        context.SymbolAt(address) is { } s ? $" <{s}>" : "";

    internal static string CharLiteral(byte c) => c switch
    {
        (byte)'\'' => "'\\''",
        (byte)'\\' => "'\\\\'",
        _ => "'" + Escape(c, '\'') + "'",
    };

    /// <summary>gdb's escapes: the C named ones, printable ASCII as is, the rest as 3-digit octal.</summary>
    internal static string Escape(byte c, char quote) => c switch
    {
        7 => "\\a",
        8 => "\\b",
        9 => "\\t",
        10 => "\\n",
        11 => "\\v",
        12 => "\\f",
        13 => "\\r",
        27 => "\\033",
        (byte)'\\' => "\\\\",
        _ when c == quote => "\\" + quote,
        >= 32 and < 127 => ((char)c).ToString(),
        _ => "\\" + Convert.ToString(c, 8).PadLeft(3, '0'),
    };
}
