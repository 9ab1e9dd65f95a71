namespace Rewind.Symbols.Dwarf;

internal sealed partial class LineTable
{
    /// <summary>Runs the line-number program (DWARF 5 §6.2.5). Every opcode consumes bytes, so it ends.</summary>
    private static List<LineRow> Run(ref SpanReader r, List<string> files, int minInstLength, bool defaultIsStmt,
        int lineBase, int lineRange, int opcodeBase, byte[] opcodeLengths)
    {
        var rows = new List<LineRow>();
        ulong address = 0;
        int file = 1, line = 1, column = 0;
        bool isStmt = defaultIsStmt, prologueEnd = false;
        uint discriminator = 0;

        void Emit(bool endSequence)
        {
            rows.Add(new LineRow(address, file, line, column, isStmt, prologueEnd, endSequence, discriminator));
            prologueEnd = false;
            discriminator = 0;
        }

        while (!r.AtEnd)
        {
            byte op = r.U8();
            if (op >= opcodeBase)
            {
                int adjusted = op - opcodeBase;
                address += (ulong)(adjusted / lineRange * minInstLength);
                line += lineBase + adjusted % lineRange;
                Emit(false);
                continue;
            }
            switch (op)
            {
                case 0:
                    ulong length = r.Uleb();
                    if (length == 0 || length > (ulong)r.Remaining)
                        throw new InvalidDataException($"bad extended opcode length {length} at 0x{r.Position:x}");
                    int next = r.Position + (int)length;
                    byte ext = r.U8();
                    switch (ext)
                    {
                        case 1:
                            Emit(true);
                            address = 0;
                            file = 1;
                            line = 1;
                            column = 0;
                            isStmt = defaultIsStmt;
                            break;
                        case 2: address = r.Sized((int)length - 1); break;
                        case 3:
                            string name = r.CString();
                            files.Add(name);
                            break;
                        case 4: discriminator = (uint)r.Uleb(); break;
                    }
                    r.Seek((ulong)next);
                    break;
                case 1: Emit(false); break;
                case 2: address += r.Uleb() * (ulong)minInstLength; break;
                case 3: line += (int)r.Sleb(); break;
                case 4: file = (int)Math.Min(r.Uleb(), int.MaxValue); break;
                case 5: column = (int)Math.Min(r.Uleb(), int.MaxValue); break;
                case 6: isStmt = !isStmt; break;
                case 7: break;
                case 8: address += (ulong)((255 - opcodeBase) / lineRange * minInstLength); break;
                case 9: address += r.U16(); break;
                case 10: prologueEnd = true; break;
                case 11: break;
                case 12: r.Uleb(); break;
                default:
                    for (int i = 0; i < opcodeLengths[op]; i++)
                        r.Uleb();
                    break;
            }
        }
        return rows;
    }
}
