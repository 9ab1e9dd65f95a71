using System.Text;

namespace Rewind.Symbols.Values;

internal static partial class ValueFormatter
{
    private static string FormatPointer(DebugType t, ulong address, FormatContext context)
    {
        string text = $"0x{address:x}";
        var target = (t.Target ?? DebugType.Void).Resolved;
        if (target.Kind == TypeKind.Function)
            return text + Symbol(address, context);
        if (IsCharType(target) && t.Kind == TypeKind.Pointer)
        {
            if (address == 0)
                return text;
            return text + " " + ReadCString(address, context);
        }
        return text + Symbol(address, context);
    }

    internal static bool IsCharType(DebugType t) =>
        t.Kind == TypeKind.Base && t.DeclaredSize == 1 && t.Encoding is DwarfEncoding.SignedChar or DwarfEncoding.UnsignedChar;

    /// <summary>A NUL-terminated string at an address, at most 200 characters, as gdb prints char pointers.</summary>
    private static string ReadCString(ulong address, FormatContext context)
    {
        var bytes = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        bool terminated = false;
        for (int i = 0; i < FormatContext.ElementLimit; i++)
        {
            if (context.Memory.Read(new RemotePtr(address + (ulong)i), one) != 1)
            {
                if (i == 0)
                    return $"<error: Cannot access memory at address 0x{address:x}>";
                break;
            }
            if (one[0] == 0)
            {
                terminated = true;
                break;
            }
            bytes.Add(one[0]);
        }
        if (bytes.Count == 0)
            return "\"\"";
        return QuoteChars(bytes.ToArray(), bytes.Count, forceEllipsis: !terminated && bytes.Count >= FormatContext.ElementLimit);
    }

    /// <summary>
    /// Characters as gdb's generic_printstr shows them: quoted runs, and runs longer than the
    /// repeat threshold as <c>'x' &lt;repeats N times&gt;</c>, separated by ", ". At most 200
    /// "things" are printed: a character counts one, a repeat block counts the threshold.
    /// </summary>
    private static string QuoteChars(byte[] chars, int count, bool forceEllipsis = false)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        int i = 0, things = 0;
        while (i < count && things < FormatContext.ElementLimit)
        {
            int run = 1;
            while (i + run < count && chars[i + run] == chars[i])
                run++;
            if (run > FormatContext.RepeatThreshold)
            {
                if (current.Length > 0)
                {
                    parts.Add("\"" + current + "\"");
                    current.Clear();
                }
                parts.Add($"{CharLiteral(chars[i])} <repeats {run} times>");
                i += run;
                things += FormatContext.RepeatThreshold;
            }
            else
            {
                for (int k = 0; k < run && things < FormatContext.ElementLimit; k++, i++, things++)
                    current.Append(Escape(chars[i], '"'));
            }
        }
        if (current.Length > 0)
            parts.Add("\"" + current + "\"");
        string text = string.Join(", ", parts);
        return i < count || forceEllipsis ? text + "..." : text;
    }

    private static string FormatStruct(DebugType t, ValueData value, FormatContext context, int depth)
    {
        if (t.Members.Count == 0)
            return "{}";
        var parts = new List<string>();
        foreach (var m in t.Members)
        {
            string text = FormatMember(m, value, context, depth);
            parts.Add(m.Name is null ? text : $"{m.Name} = {text}");
        }
        return "{" + string.Join(", ", parts) + "}";
    }

    internal static string FormatMember(TypeMember m, ValueData value, FormatContext context, int depth)
    {
        if (m.BitSize > 0)
            return FormatBitfield(m, value, context);
        return Format(m.Type, value.Slice(m.ByteOffset), context, depth + 1);
    }

    private static string FormatBitfield(TypeMember m, ValueData value, FormatContext context)
    {
        ulong firstByte = m.BitOffset / 8;
        int shift = (int)(m.BitOffset % 8);
        int bytesNeeded = (shift + m.BitSize + 7) / 8;
        if (value.AnyUnavailable(firstByte, (ulong)bytesNeeded))
            return OptimizedOutText;
        Span<byte> buffer = stackalloc byte[16];
        buffer.Clear();
        if (!value.TryRead(firstByte, buffer[..bytesNeeded], context.Memory))
            return "<error: Cannot access memory>";
        UInt128 all = 0;
        for (int i = bytesNeeded - 1; i >= 0; i--)
            all = (all << 8) | buffer[i];
        ulong raw = (ulong)(all >> shift) & (m.BitSize >= 64 ? ulong.MaxValue : (1UL << m.BitSize) - 1);
        var t = m.Type.Resolved;
        bool signed = t.IsSigned && t.Encoding != DwarfEncoding.Boolean;
        if (signed && m.BitSize < 64 && (raw & (1UL << (m.BitSize - 1))) != 0)
            raw |= ulong.MaxValue << m.BitSize;
        Span<byte> scalar = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(scalar, raw);
        int size = (int)Math.Clamp(t.ByteSize, 1, 8);
        return FormatScalar(t, scalar[..size], context);
    }

    private static string FormatArray(DebugType t, ValueData value, FormatContext context, int depth)
    {
        var element = t.Target ?? DebugType.Void;
        ulong elementSize = element.ByteSize;
        long count = t.Dimensions.Count > 0 ? t.Dimensions[0] : -1;
        if (t.Dimensions.Count > 1)
        {
            // int a[2][3] is an array of 2 "int [3]".
            element = new DebugType(TypeKind.Array) { Target = t.Target, Dimensions = t.Dimensions.Skip(1).ToList() };
            elementSize = element.ByteSize;
        }
        if (count < 0 || elementSize == 0)
            return count == 0 ? "{}" : "0x" + (value.Address ?? 0).ToString("x");
        if (count == 0)
            return "{}";
        // A char array with optimized-out bytes cannot be a string: gdb lists its elements.
        if (t.Dimensions.Count == 1 && IsCharType(element.Resolved) && !value.AnyUnavailable(0, (ulong)count))
            return FormatCharArray(value, (int)Math.Min(count, 1 << 20), context);
        // Elements are compared up to the limit's reach; a repeat block counts as the threshold.
        int shown = (int)Math.Min(count, FormatContext.ElementLimit * FormatContext.RepeatThreshold);
        var parts = new List<string>();
        // gdb compares element bytes to find repeats, then prints one element per run.
        var texts = new List<byte[]>();
        for (int i = 0; i < shown; i++)
        {
            // Element bytes plus one availability byte per byte: gdb's repeats compare both.
            int n = (int)Math.Min(elementSize, 4096);
            var raw = new byte[n * 2];
            var slice = value.Slice((ulong)i * elementSize);
            slice.TryRead(0, raw.AsSpan(0, n), context.Memory);
            for (int b = 0; b < n; b++)
                raw[n + b] = slice.AnyUnavailable((ulong)b, 1) ? (byte)1 : (byte)0;
            texts.Add(raw);
        }
        int k = 0, things = 0;
        while (k < texts.Count && things < FormatContext.ElementLimit)
        {
            int reps = 1;
            // gdb 13 never finds repeats of an element that is only partly optimized out
            // (a struct whose padding no piece describes); whole ones compare by contents.
            while (!PartlyUnavailable(texts[k]) && k + reps < texts.Count && texts[k + reps].AsSpan().SequenceEqual(texts[k]))
                reps++;
            string text = Format(element, value.Slice((ulong)k * elementSize), context, depth + 1);
            if (reps > FormatContext.RepeatThreshold)
            {
                parts.Add($"{text} <repeats {reps} times>");
                k += reps;
                things += FormatContext.RepeatThreshold;
            }
            else
            {
                for (int j = 0; j < reps && things < FormatContext.ElementLimit; j++, k++, things++)
                    parts.Add(text);
            }
        }
        string body = string.Join(", ", parts);
        return "{" + body + (k < count ? "..." : "") + "}";
    }

    /// <summary>An element's bytes followed by one availability flag per byte: are some, not all, flags set?</summary>
    private static bool PartlyUnavailable(byte[] element)
    {
        var flags = element.AsSpan(element.Length / 2);
        return flags.Contains((byte)1) && flags.Contains((byte)0);
    }

    private static string FormatCharArray(ValueData value, int count, FormatContext context)
    {
        var chars = new byte[Math.Min(count, 1 << 16)];
        if (!value.TryRead(0, chars, context.Memory))
            return $"<error: Cannot access memory at address 0x{value.Address ?? 0:x}>";
        int length = chars.Length;
        // print null-stop is off: the whole array is shown, but one trailing NUL is not.
        if (length == count && length > 0 && chars[length - 1] == 0)
            length--;
        if (length == 0)
            return "\"\"";
        return QuoteChars(chars, length, forceEllipsis: count > chars.Length);
    }
}
