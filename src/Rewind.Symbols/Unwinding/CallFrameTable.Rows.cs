namespace Rewind.Symbols.Unwinding;

internal sealed partial class CallFrameTable
{
    private const int MaxRememberedStates = 64;

    /// <summary>Runs the CIE's and the FDE's instructions up to <paramref name="pc"/> (DWARF 5 §6.4.2).</summary>
    public static UnwindRow RowFor(FrameDescriptionEntry fde, ulong pc)
    {
        var cie = fde.Cie;
        var row = new UnwindRow { ReturnAddressRegister = cie.ReturnAddressRegister, IsSignalFrame = cie.IsSignalFrame };
        ulong location = fde.Start;
        Execute(cie.Instructions.Span, cie, row, null, ref location, ulong.MaxValue);
        var initial = row.Clone();
        location = fde.Start;
        Execute(fde.Instructions.Span, cie, row, initial, ref location, pc);
        return row;
    }

    private static void Execute(ReadOnlySpan<byte> program, CommonInformationEntry cie, UnwindRow row, UnwindRow? initial, ref ulong location, ulong pc)
    {
        var r = new SpanReader(program);
        var remembered = new Stack<(CfaRule, Dictionary<int, RegisterRule>)>();
        var regs = row.Registers;
        ReadOnlyMemory<byte> programMemory = program.ToArray();

        void Restore(int reg)
        {
            if (initial is not null && initial.Registers.TryGetValue(reg, out var rule))
                regs[reg] = rule;
            else
                regs.Remove(reg);
        }

        int Reg(ref SpanReader rr) => (int)Math.Min(rr.Uleb(), 4096);

        ReadOnlyMemory<byte> Block(ref SpanReader rr)
        {
            ulong length = rr.Uleb();
            int start = rr.Position;
            rr.Skip(length);
            return programMemory.Slice(start, (int)length);
        }

        while (!r.AtEnd)
        {
            byte op = r.U8();
            int high = op >> 6, low = op & 0x3f;
            if (high == 1)
            {
                location += (ulong)low * cie.CodeAlignment;
                if (location > pc)
                    return;
                continue;
            }
            if (high == 2)
            {
                regs[low] = new RegisterRule(RegisterRuleKind.Offset, (long)r.Uleb() * cie.DataAlignment);
                continue;
            }
            if (high == 3)
            {
                Restore(low);
                continue;
            }
            ulong advance = ulong.MaxValue;
            switch (op)
            {
                case 0x00: break;
                case 0x01: location = CallFrameTable.ReadPointer(ref r, cie.FdeEncoding, 0, cie.AddressSize); advance = 0; break;
                case 0x02: advance = r.U8(); break;
                case 0x03: advance = r.U16(); break;
                case 0x04: advance = r.U32(); break;
                case 0x05: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.Offset, (long)r.Uleb() * cie.DataAlignment); break; }
                case 0x06: Restore(Reg(ref r)); break;
                case 0x07: regs[Reg(ref r)] = new RegisterRule(RegisterRuleKind.Undefined); break;
                case 0x08: regs[Reg(ref r)] = new RegisterRule(RegisterRuleKind.SameValue); break;
                case 0x09: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.Register, Register: Reg(ref r)); break; }
                case 0x0a:
                    if (remembered.Count >= MaxRememberedStates)
                        throw new InvalidDataException($"more than {MaxRememberedStates} remembered CFI states");
                    remembered.Push((row.Cfa, new Dictionary<int, RegisterRule>(regs)));
                    break;
                case 0x0b:
                    if (remembered.Count == 0)
                        throw new InvalidDataException("DW_CFA_restore_state without a remembered state");
                    (row.Cfa, var saved) = remembered.Pop();
                    regs.Clear();
                    foreach (var kv in saved)
                        regs[kv.Key] = kv.Value;
                    break;
                case 0x0c: { int reg = Reg(ref r); row.Cfa = new CfaRule(reg, (long)r.Uleb()); break; }
                case 0x0d: row.Cfa = row.Cfa with { Register = Reg(ref r), Expression = default }; break;
                case 0x0e: row.Cfa = row.Cfa with { Offset = (long)r.Uleb() }; break;
                case 0x0f: row.Cfa = new CfaRule(0, 0, Block(ref r)); break;
                case 0x10: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.Expression, Expression: Block(ref r)); break; }
                case 0x11: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.Offset, r.Sleb() * cie.DataAlignment); break; }
                case 0x12: { int reg = Reg(ref r); row.Cfa = new CfaRule(reg, r.Sleb() * cie.DataAlignment); break; }
                case 0x13: row.Cfa = row.Cfa with { Offset = r.Sleb() * cie.DataAlignment }; break;
                case 0x14: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.ValueOffset, (long)r.Uleb() * cie.DataAlignment); break; }
                case 0x15: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.ValueOffset, r.Sleb() * cie.DataAlignment); break; }
                case 0x16: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.ValueExpression, Expression: Block(ref r)); break; }
                case 0x2e: r.Uleb(); break; // DW_CFA_GNU_args_size
                case 0x2f: { int reg = Reg(ref r); regs[reg] = new RegisterRule(RegisterRuleKind.Offset, -(long)r.Uleb() * cie.DataAlignment); break; }
                default: throw new InvalidDataException($"unknown call frame instruction 0x{op:x2}");
            }
            if (advance != ulong.MaxValue)
            {
                location += advance * cie.CodeAlignment;
                if (location > pc)
                    return;
            }
        }
    }
}
