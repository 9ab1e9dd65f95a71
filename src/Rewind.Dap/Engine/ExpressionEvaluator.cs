using System.Globalization;
using Rewind.Symbols;

namespace Rewind.Dap.Engine;

/// <summary>
/// Evaluates the C expressions a user types in a watch or a hover: names, members (. and ->),
/// indexing, dereference, address-of, casts to arithmetic types, arithmetic, pointer
/// arithmetic, comparisons, ! &amp;&amp; ||, and $registers. Values come from the symbol reader's
/// variables, read at the present; <paramref name="readAt"/> reads a typed value at a computed
/// address (through a pointer).
/// </summary>
internal sealed class ExpressionEvaluator(Func<string, Variable?> lookup, Registers registers, Func<string, DebugType, RemotePtr, Variable> readAt)
{
    private string _text = "";
    private int _at;

    /// <summary>A variable (expandable, with its own formatting) or a computed number.</summary>
    public readonly record struct Result(Variable? Variable, string Text, string? Type);

    /// <summary>A variable, or a number; a computed pointer (<c>p + 1</c>, <c>&amp;x</c>) keeps the type it points to.</summary>
    private readonly record struct Value(Variable? Variable, double Number, bool IsFloat, string? Type, DebugType? Pointee = null)
    {
        public static Value Of(double n, bool isFloat = false, string? type = null) => new(null, n, isFloat, type ?? (isFloat ? "double" : "long"));

        public static Value Of(Variable v) => new(v, 0, false, null);

        public static Value PointerTo(DebugType target, ulong address) => new(null, address, false, $"{target.DisplayName} *", target);
    }

    public Result Evaluate(string expression)
    {
        _text = expression;
        _at = 0;
        var v = Logical();
        Skip();
        if (_at < _text.Length)
        {
            throw Error($"unexpected '{_text[_at..]}'");
        }
        return v.Variable is { } variable ? new Result(variable, variable.Value, variable.TypeName)
            : v.Pointee is not null ? new Result(null, $"0x{(ulong)v.Number:x}", v.Type)
            : new Result(null, v.IsFloat ? v.Number.ToString("G17", CultureInfo.InvariantCulture) : ((long)v.Number).ToString(CultureInfo.InvariantCulture), v.Type);
    }

    private Value Logical()
    {
        var v = Comparison();
        while (true)
        {
            // Both sides are evaluated: reading a value has no side effect to short-circuit.
            if (Accept("&&"))
            {
                bool right = Number(Comparison()) != 0;
                v = Value.Of(Number(v) != 0 && right ? 1 : 0, type: "int");
            }
            else if (Accept("||"))
            {
                bool right = Number(Comparison()) != 0;
                v = Value.Of(Number(v) != 0 || right ? 1 : 0, type: "int");
            }
            else
            {
                return v;
            }
        }
    }

    private Value Comparison()
    {
        var left = Additive();
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            if (Accept(op))
            {
                double a = Number(left), b = Number(Additive());
                bool r = op switch { "==" => a == b, "!=" => a != b, "<=" => a <= b, ">=" => a >= b, "<" => a < b, _ => a > b };
                return Value.Of(r ? 1 : 0, type: "int");
            }
        }
        return left;
    }

    private Value Additive()
    {
        var v = Multiplicative();
        while (true)
        {
            if (Accept("+"))
            {
                v = Offset(v, Multiplicative(), 1);
            }
            else if (Peek("-") && !Peek("->"))
            {
                _at++;
                v = Offset(v, Multiplicative(), -1);
            }
            else
            {
                return v;
            }
        }
    }

    private Value Multiplicative()
    {
        var v = Unary();
        while (true)
        {
            if (!Peek("*=") && Accept("*"))
            {
                v = Arithmetic(v, Unary(), (a, b) => a * b);
            }
            else if (Accept("/"))
            {
                var d = Unary();
                v = Number(d) == 0 ? throw Error("division by zero") : Arithmetic(v, d, (a, b) => IsFloat(v, d) ? a / b : Math.Truncate(a / b));
            }
            else if (Accept("%"))
            {
                var d = Unary();
                v = Number(d) == 0 ? throw Error("division by zero") : Arithmetic(v, d, (a, b) => a % b);
            }
            else
            {
                return v;
            }
        }
    }

    private Value Unary()
    {
        if (Accept("-"))
        {
            var v = Unary();
            return Value.Of(-Number(v), IsFloat(v, v));
        }
        if (!Peek("!=") && Accept("!"))
        {
            return Value.Of(Number(Unary()) == 0 ? 1 : 0, type: "int");
        }
        if (Accept("*"))
        {
            var p = Unary();
            return Value.Of(Pointee(p));
        }
        if (!Peek("&&") && Accept("&"))
        {
            var v = Unary();
            var address = v.Variable?.Address ?? throw Error("that has no address");
            return Value.PointerTo(v.Variable.Type, address.Value);
        }
        int save = _at;
        if (Accept("(") && CastType() is { } type && Accept(")"))
        {
            double n = Number(Unary());
            bool isFloat = type is "float" or "double";
            return Value.Of(isFloat ? n : Truncate(n, type), isFloat, type);
        }
        _at = save;
        return Postfix();
    }

    private Value Postfix()
    {
        var v = Primary();
        while (true)
        {
            if (Accept("."))
            {
                v = Value.Of(Member(v.Variable, Identifier()));
            }
            else if (Accept("->"))
            {
                v = Value.Of(Member(Pointee(v), Identifier()));
            }
            else if (Accept("["))
            {
                long index = (long)Number(Logical());
                Expect("]");
                v = Value.Of(Index(v, index));
            }
            else
            {
                return v;
            }
        }
    }

    private Value Primary()
    {
        Skip();
        if (Accept("("))
        {
            var v = Logical();
            Expect(")");
            return v;
        }
        if (Accept("$"))
        {
            string register = Identifier();
            return Value.Of(Register(register), type: "uint64_t");
        }
        if (_at < _text.Length && char.IsDigit(_text[_at]))
        {
            return NumberLiteral();
        }
        string name = Identifier();
        return Value.Of(lookup(name) ?? throw Error($"no symbol \"{name}\" in the current context"));
    }

    private Value NumberLiteral()
    {
        int start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '.'))
        {
            _at++;
        }
        string s = _text[start.._at].TrimEnd('u', 'U', 'l', 'L');
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && ulong.TryParse(s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hex))
        {
            return Value.Of(hex);
        }
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer))
        {
            return Value.Of(integer);
        }
        return double.TryParse(s.TrimEnd('f', 'F'), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? Value.Of(d, true) : throw Error($"bad number {s}");
    }

    private static Variable Member(Variable? v, string name)
    {
        var owner = v ?? throw Error($"no member named {name}: not a struct");
        return owner.Children.FirstOrDefault(c => c.Name == name) ?? throw Error($"there is no member named {name}");
    }

    /// <summary>What a pointer points to (read at its address), or an array's first element.</summary>
    private Variable Pointee(Value p) => Index(p, 0);

    /// <summary>An array's element (bounds checked), or the element <paramref name="index"/> places past a pointer.</summary>
    private Variable Index(Value v, long index)
    {
        if (v.Variable is { } array && array.Type.Resolved.Kind == TypeKind.Array)
        {
            var children = array.Children;
            return index >= 0 && index < children.Count ? children[(int)index] : throw Error($"index {index} is out of bounds (0..{children.Count - 1})");
        }
        var (address, target) = PointerOf(v) ?? throw Error(v.Variable is null ? "only a pointer or an array can be dereferenced" : $"cannot dereference {v.Variable.Name} ({v.Variable.Value})");
        string name = v.Variable is { } p ? $"{p.Name}[{index}]" : $"*0x{address:x}";
        return readAt(name, target, new RemotePtr(address + (ulong)(index * (long)Math.Max(1, target.ByteSize))));
    }

    /// <summary>The address and pointed-to type of a pointer (a variable or a computed one), or null.</summary>
    private static (ulong Address, DebugType Target)? PointerOf(Value v)
    {
        if (v.Pointee is { } computed)
        {
            return ((ulong)v.Number, computed);
        }
        if (v.Variable is { } p && p.Type.Resolved is { Kind: TypeKind.Pointer, Target: { } target } && target.Resolved.Kind is not TypeKind.Void)
        {
            return ((ulong)Number(v), target);
        }
        if (v.Variable is { Address: { } at } a && a.Type.Resolved is { Kind: TypeKind.Array, Target: { } element })
        {
            return (at.Value, element);
        }
        return null;
    }

    /// <summary>+ and -, in C's sense for pointers: a pointer moves by elements; two pointers differ by elements.</summary>
    private static Value Offset(Value a, Value b, int sign)
    {
        if (PointerOf(a) is { } p)
        {
            long size = (long)Math.Max(1, p.Target.ByteSize);
            if (sign < 0 && PointerOf(b) is { } q)
            {
                return Value.Of(((long)p.Address - (long)q.Address) / size);
            }
            return Value.PointerTo(p.Target, (ulong)((long)p.Address + sign * (long)Number(b) * size));
        }
        if (sign > 0 && PointerOf(b) is { } r)
        {
            return Value.PointerTo(r.Target, (ulong)((long)r.Address + (long)Number(a) * (long)Math.Max(1, r.Target.ByteSize)));
        }
        return Arithmetic(a, b, (x, y) => x + sign * y);
    }

    private string? CastType()
    {
        Skip();
        int start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or ' '))
        {
            _at++;
        }
        string type = string.Join(' ', _text[start.._at].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return type is "char" or "signed char" or "unsigned char" or "short" or "unsigned short" or "int" or "unsigned" or "unsigned int"
            or "long" or "unsigned long" or "long long" or "unsigned long long" or "float" or "double" or "size_t"
            or "int8_t" or "uint8_t" or "int16_t" or "uint16_t" or "int32_t" or "uint32_t" or "int64_t" or "uint64_t" ? type : null;
    }

    private static double Truncate(double n, string type) => type switch
    {
        "char" or "signed char" or "int8_t" => (sbyte)(long)n,
        "unsigned char" or "uint8_t" => (byte)(long)n,
        "short" or "int16_t" => (short)(long)n,
        "unsigned short" or "uint16_t" => (ushort)(long)n,
        "int" or "int32_t" => (int)(long)n,
        "unsigned" or "unsigned int" or "uint32_t" => (uint)(long)n,
        _ => Math.Truncate(n),
    };

    private static Value Arithmetic(Value a, Value b, Func<double, double, double> op) => Value.Of(op(Number(a), Number(b)), IsFloat(a, b));

    private static bool IsFloat(Value a, Value b) => a.IsFloat || b.IsFloat || IsFloatType(a.Variable) || IsFloatType(b.Variable);

    private static bool IsFloatType(Variable? v) => v?.TypeName is "float" or "double" or "long double";

    /// <summary>A value as a number: the formatted value's leading number (gdb shows chars as "65 'A'" and pointers as hex).</summary>
    private static double Number(Value v)
    {
        if (v.Variable is not { } variable)
        {
            return v.Number;
        }
        if (variable.IsOptimizedOut)
        {
            throw Error($"{variable.Name} is optimized out");
        }
        string text = variable.Value;
        int paren = text.StartsWith('(') ? text.IndexOf(')', StringComparison.Ordinal) : -1;
        string first = text[(paren + 1)..].TrimStart().Split(' ')[0];
        if (first.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(first[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong hex))
        {
            return hex;
        }
        if (double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return d;
        }
        return first switch
        {
            "true" => 1,
            "false" => 0,
            _ => variable.Type.Resolved.Enumerators.FirstOrDefault(e => e.Name == first) is { Name: not null } e ? e.Value
                : throw Error($"{variable.Name} is not a number ({text})"),
        };
    }

    private ulong Register(string name) => name switch
    {
        "rip" or "pc" => registers.Rip, "rsp" or "sp" => registers.Rsp, "rbp" or "fp" => registers.Rbp, "rax" => registers.Rax,
        "rbx" => registers.Rbx, "rcx" => registers.Rcx, "rdx" => registers.Rdx, "rsi" => registers.Rsi, "rdi" => registers.Rdi,
        "r8" => registers.R8, "r9" => registers.R9, "r10" => registers.R10, "r11" => registers.R11, "r12" => registers.R12,
        "r13" => registers.R13, "r14" => registers.R14, "r15" => registers.R15, "eflags" => registers.Eflags,
        _ => throw Error($"no register ${name}"),
    };

    private string Identifier()
    {
        Skip();
        int start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }
        return _at > start ? _text[start.._at] : throw Error(_at < _text.Length ? $"unexpected '{_text[_at]}'" : "the expression ends early");
    }

    private bool Peek(string token)
    {
        Skip();
        return string.CompareOrdinal(_text, _at, token, 0, token.Length) == 0;
    }

    private bool Accept(string token)
    {
        if (!Peek(token))
        {
            return false;
        }
        _at += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw Error($"expected '{token}'");
        }
    }

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private static RewindException Error(string message) => new(message);
}
