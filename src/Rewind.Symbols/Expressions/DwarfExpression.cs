namespace Rewind.Symbols.Expressions;

/// <summary>
/// Evaluates DWARF expressions and location descriptions (DWARF 5 §2.5, §2.6) for x86-64.
/// Branches are allowed, so the number of operations executed and the stack depth are capped;
/// a register or memory the frame does not know makes the value unavailable, not an error.
/// </summary>
internal static partial class DwarfExpression
{
    private const int MaxSteps = 100_000;
    private const int MaxStack = 1_024;

    /// <summary>Evaluates a location description into its pieces ([None] when unavailable).</summary>
    public static List<LocationPiece> Locate(ReadOnlySpan<byte> expression, IExpressionContext context, int addressSize = 8, ulong? initial = null)
    {
        if (expression.IsEmpty)
            return [new LocationPiece(LocationKind.None, 0, 0)];
        try
        {
            return Run(expression, context, addressSize, initial);
        }
        catch (UnavailableException)
        {
            return [new LocationPiece(LocationKind.None, 0, 0)];
        }
    }

    /// <summary>Evaluates an expression to one value (CFA rules, frame base, entry values), or null.</summary>
    public static ulong? Compute(ReadOnlySpan<byte> expression, IExpressionContext context, ulong? initial = null)
    {
        var pieces = Locate(expression, context, 8, initial);
        if (pieces.Count != 1)
            return null;
        var p = pieces[0];
        return p.Kind switch
        {
            LocationKind.Memory or LocationKind.Value => p.Value,
            LocationKind.Register => context.Register((int)p.Value) ?? null,
            _ => null,
        };
    }

    private sealed class UnavailableException : Exception;

    private static ulong Need(ulong? value) => value ?? throw new UnavailableException();

    private static List<LocationPiece> Run(ReadOnlySpan<byte> expression, IExpressionContext context, int addressSize, ulong? initial)
    {
        var stack = new Stack<ulong>();
        if (initial is { } i0)
            stack.Push(i0);
        var pieces = new List<LocationPiece>();
        var r = new SpanReader(expression);
        LocationPiece? pending = null; // a register, value or literal location waiting for its piece
        int steps = 0;

        ulong Pop() => stack.Count > 0 ? stack.Pop() : throw new InvalidDataException("DWARF expression pops an empty stack");
        void Push(ulong v)
        {
            if (stack.Count >= MaxStack)
                throw new InvalidDataException($"DWARF expression stack deeper than {MaxStack}");
            stack.Push(v);
        }

        while (!r.AtEnd)
        {
            if (++steps > MaxSteps)
                throw new InvalidDataException($"DWARF expression runs more than {MaxSteps} operations");
            byte op = r.U8();
            switch (op)
            {
                case >= 0x30 and <= 0x4f: Push((ulong)(op - 0x30)); break;
                case >= 0x50 and <= 0x6f: pending = new LocationPiece(LocationKind.Register, (ulong)(op - 0x50), 0); break;
                case >= 0x70 and <= 0x8f: Push(Need(context.Register(op - 0x70)) + (ulong)r.Sleb()); break;
                case 0x03: Push(r.Sized(addressSize) + context.LoadBias); break;
                case 0x06: Push(Need(context.ReadMemory(Pop(), addressSize))); break;
                case 0x08: Push(r.U8()); break;
                case 0x09: Push((ulong)r.S8()); break;
                case 0x0a: Push(r.U16()); break;
                case 0x0b: Push((ulong)r.S16()); break;
                case 0x0c: Push(r.U32()); break;
                case 0x0d: Push((ulong)r.S32()); break;
                case 0x0e: Push(r.U64()); break;
                case 0x0f: Push((ulong)r.S64()); break;
                case 0x10: Push(r.Uleb()); break;
                case 0x11: Push((ulong)r.Sleb()); break;
                case 0x12: Push(Peek(stack, 0)); break;
                case 0x13: Pop(); break;
                case 0x14: Push(Peek(stack, 1)); break;
                case 0x15: Push(Peek(stack, r.U8())); break;
                case 0x16: { ulong a = Pop(), b = Pop(); Push(a); Push(b); break; }
                case 0x17: { ulong a = Pop(), b = Pop(), c = Pop(); Push(a); Push(c); Push(b); break; }
                case 0x19: { long a = (long)Pop(); Push((ulong)Math.Abs(a)); break; }
                case 0x1a: Push(Pop() & Pop()); break;
                case 0x1b: { long b = (long)Pop(), a = (long)Pop(); Push(b == 0 ? throw new UnavailableException() : (ulong)(a / b)); break; }
                case 0x1c: { ulong b = Pop(), a = Pop(); Push(a - b); break; }
                case 0x1d: { ulong b = Pop(), a = Pop(); Push(b == 0 ? throw new UnavailableException() : a % b); break; }
                case 0x1e: Push(Pop() * Pop()); break;
                case 0x1f: Push((ulong)-(long)Pop()); break;
                case 0x20: Push(~Pop()); break;
                case 0x21: Push(Pop() | Pop()); break;
                case 0x22: Push(Pop() + Pop()); break;
                case 0x23: Push(Pop() + r.Uleb()); break;
                case 0x24: { ulong b = Pop(), a = Pop(); Push(b >= 64 ? 0 : a << (int)b); break; }
                case 0x25: { ulong b = Pop(), a = Pop(); Push(b >= 64 ? 0 : a >> (int)b); break; }
                case 0x26: { ulong b = Pop(); long a = (long)Pop(); Push((ulong)(a >> (int)Math.Min(b, 63))); break; }
                case 0x27: Push(Pop() ^ Pop()); break;
                case 0x28:
                    {
                        short offset = r.S16();
                        if (Pop() != 0)
                            r.Seek((ulong)(r.Position + offset));
                        break;
                    }
                case >= 0x29 and <= 0x2e:
                    {
                        long b = (long)Pop(), a = (long)Pop();
                        bool t = op switch { 0x29 => a == b, 0x2a => a >= b, 0x2b => a > b, 0x2c => a <= b, 0x2d => a < b, _ => a != b };
                        Push(t ? 1UL : 0UL);
                        break;
                    }
                case 0x2f: { short offset = r.S16(); r.Seek((ulong)(r.Position + offset)); break; }
                case 0x90: pending = new LocationPiece(LocationKind.Register, r.Uleb(), 0); break;
                case 0x91: { long offset = r.Sleb(); Push(Need(context.FrameBase()) + (ulong)offset); break; }
                case 0x92: { int reg = (int)Math.Min(r.Uleb(), int.MaxValue); Push(Need(context.Register(reg)) + (ulong)r.Sleb()); break; }
                case 0x93 or 0x9d:
                    {
                        ulong size = r.Uleb();
                        if (op == 0x9d)
                        {
                            r.Uleb();
                            size = (size + 7) / 8;
                        }
                        if (size > int.MaxValue)
                            throw new InvalidDataException($"DW_OP_piece of {size} bytes");
                        var piece = pending ?? (stack.Count > 0 ? new LocationPiece(LocationKind.Memory, stack.Pop(), 0) : new LocationPiece(LocationKind.None, 0, 0));
                        pieces.Add(piece with { Size = (int)size });
                        pending = null;
                        break;
                    }
                case 0x94:
                    {
                        int size = r.U8();
                        if (size is 0 or > 8)
                            throw new InvalidDataException($"DW_OP_deref_size of {size} bytes");
                        Push(Need(context.ReadMemory(Pop(), size)));
                        break;
                    }
                case 0x96: break;
                case 0x9c: Push(Need(context.CanonicalFrameAddress())); break;
                case 0x9e:
                    {
                        ulong length = r.Uleb();
                        int start = r.Position;
                        r.Skip(length);
                        pending = new LocationPiece(LocationKind.Bytes, 0, 0, expression.Slice(start, (int)length).ToArray());
                        break;
                    }
                case 0x9f: pending = new LocationPiece(LocationKind.Value, Pop(), 0); break;
                case 0xa0 or 0xf2:
                    r.Skip(4);
                    r.Sleb();
                    pending = new LocationPiece(LocationKind.ImplicitPointer, 0, 0);
                    break;
                case 0xa1 or 0xfb: Push(context.AddressAtIndex(r.Uleb()) + context.LoadBias); break;
                case 0xa2 or 0xfc: Push(context.AddressAtIndex(r.Uleb())); break;
                case 0xa3 or 0xf3:
                    {
                        ulong length = r.Uleb();
                        var sub = r.Bytes(length).ToArray();
                        Push(Need(context.EntryValue(sub)));
                        break;
                    }
                case 0xa4 or 0xf4:
                    {
                        r.Uleb();
                        int size = r.U8();
                        var bytes = r.Bytes((ulong)size);
                        ulong v = 0;
                        for (int i = Math.Min(size, 8) - 1; i >= 0; i--)
                            v = (v << 8) | bytes[i];
                        Push(v);
                        break;
                    }
                case 0xa5 or 0xf5:
                    {
                        int reg = (int)Math.Min(r.Uleb(), int.MaxValue);
                        r.Uleb();
                        Push(Need(context.Register(reg)));
                        break;
                    }
                case 0xa6 or 0xf6:
                    {
                        int size = r.U8();
                        r.Uleb();
                        if (size is 0 or > 8)
                            throw new UnavailableException();
                        Push(Need(context.ReadMemory(Pop(), size)));
                        break;
                    }
                case 0xa8 or 0xa9 or 0xf7 or 0xf9: r.Uleb(); break;
                case 0xfa: r.U32(); throw new UnavailableException();
                case 0x9b or 0xe0 or 0x97 or 0x98 or 0x99 or 0x9a or 0x18 or 0x95 or 0xa7 or 0xf0:
                    throw new UnavailableException(); // TLS, calls and xderef need more than a frame gives us
                default:
                    throw new InvalidDataException($"unknown DWARF expression operation 0x{op:x2}");
            }
        }
        if (pieces.Count > 0)
            return pieces;
        if (pending is { } last)
            return [last];
        if (stack.Count == 0)
            return [new LocationPiece(LocationKind.None, 0, 0)];
        return [new LocationPiece(LocationKind.Memory, stack.Peek(), 0)];
    }

    private static ulong Peek(Stack<ulong> stack, int depth)
    {
        if (depth >= stack.Count)
            throw new InvalidDataException($"DWARF expression picks entry {depth} of a {stack.Count}-entry stack");
        return stack.ElementAt(depth);
    }
}
