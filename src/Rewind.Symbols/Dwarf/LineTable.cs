namespace Rewind.Symbols.Dwarf;

/// <summary>
/// A decoded .debug_line program (DWARF 2 to 5): its file names and its rows, sequence by
/// sequence in program order, each sequence closed by an end_sequence row.
/// </summary>
internal sealed partial class LineTable
{
    private const int MaxFormatEntries = 64;
    private const int MaxEntries = 1_000_000;

    private LineTable(List<string> files, List<LineRow> rows)
    {
        Files = files;
        Rows = rows;
    }

    /// <summary>Full paths, indexed like DW_AT_decl_file and the rows' File (slot 0 is unused in DWARF 4).</summary>
    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<LineRow> Rows { get; }

    public static LineTable Parse(DwarfSections sections, ulong offset, string? compDir, string? compName)
    {
        var r = new SpanReader(sections.Line.Span);
        r.Seek(offset);
        ulong length = r.U32();
        int offsetSize = 4;
        if (length == 0xffffffff)
        {
            length = r.U64();
            offsetSize = 8;
        }
        ulong end = (ulong)r.Position + length;
        if (end > (ulong)r.Length)
            throw new InvalidDataException($"line table at 0x{offset:x} has length 0x{length:x}, beyond the end of .debug_line");
        int version = r.U16();
        if (version is < 2 or > 5)
            throw new InvalidDataException($"line table at 0x{offset:x} has unsupported version {version}");
        if (version >= 5)
            r.Skip(2); // address_size, segment_selector_size: set_address carries its own size
        ulong headerLength = r.Sized(offsetSize);
        ulong programStart = (ulong)r.Position + headerLength;
        if (programStart > end)
            throw new InvalidDataException($"line table at 0x{offset:x} has a header longer than the table");
        int minInstLength = r.U8();
        if (version >= 4)
            r.U8();
        bool defaultIsStmt = r.U8() != 0;
        int lineBase = r.S8();
        int lineRange = r.U8();
        int opcodeBase = r.U8();
        if (lineRange == 0)
            throw new InvalidDataException($"line table at 0x{offset:x} has line_range 0");
        var opcodeLengths = new byte[Math.Max(opcodeBase, 1)];
        for (int i = 1; i < opcodeBase; i++)
            opcodeLengths[i] = r.U8();

        var files = new List<string>();
        var dirs = new List<string>();
        compDir ??= "";
        if (version >= 5)
        {
            ReadEntries(ref r, sections, offsetSize, dirs, null, compDir);
            ReadEntries(ref r, sections, offsetSize, files, dirs, compDir);
        }
        else
        {
            dirs.Add(compDir);
            files.Add(compName is null ? "" : Combine(compDir, compName));
            while (true)
            {
                string dir = r.CString();
                if (dir.Length == 0)
                    break;
                if (dirs.Count > MaxEntries)
                    throw new InvalidDataException($"line table at 0x{offset:x} has more than {MaxEntries} directories");
                dirs.Add(Combine(compDir, dir));
            }
            while (true)
            {
                string name = r.CString();
                if (name.Length == 0)
                    break;
                if (files.Count > MaxEntries)
                    throw new InvalidDataException($"line table at 0x{offset:x} has more than {MaxEntries} files");
                ulong dir = r.Uleb();
                r.Uleb();
                r.Uleb();
                files.Add(Combine(dir < (ulong)dirs.Count ? dirs[(int)dir] : compDir, name));
            }
        }
        r.Seek(programStart);
        var program = new SpanReader(r.Data[..(int)end], (int)programStart);
        var rows = Run(ref program, files, minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase, opcodeLengths);
        return new LineTable(files, rows);
    }

    private static void ReadEntries(ref SpanReader r, DwarfSections sections, int offsetSize, List<string> into, List<string>? dirs, string compDir)
    {
        int formatCount = r.U8();
        if (formatCount > MaxFormatEntries)
            throw new InvalidDataException($"line table entry format has {formatCount} fields");
        var formats = new (ulong Content, ulong Form)[formatCount];
        for (int i = 0; i < formatCount; i++)
            formats[i] = (r.Uleb(), r.Uleb());
        int count = r.UlebCount(MaxEntries, "line table entry count");
        for (int i = 0; i < count; i++)
        {
            string path = "";
            ulong dirIndex = 0;
            foreach (var (content, form) in formats)
            {
                ulong value = 0;
                string? text = null;
                switch (form)
                {
                    case DwForm.String: text = r.CString(); break;
                    case DwForm.LineStrp: text = SpanReader.CStringAt(sections.LineStr.Span, r.Sized(offsetSize)); break;
                    case DwForm.Strp: text = SpanReader.CStringAt(sections.Str.Span, r.Sized(offsetSize)); break;
                    case DwForm.Udata: value = r.Uleb(); break;
                    case DwForm.Data1: value = r.U8(); break;
                    case DwForm.Data2: value = r.U16(); break;
                    case DwForm.Data4: value = r.U32(); break;
                    case DwForm.Data8: value = r.U64(); break;
                    case DwForm.Data16: r.Skip(16); break;
                    case DwForm.Block: r.Skip(r.Uleb()); break;
                    default: throw new InvalidDataException($"unsupported form 0x{form:x} in a line table entry");
                }
                if (content == 1 && text is not null)
                    path = text;
                else if (content == 2)
                    dirIndex = value;
            }
            if (dirs is null)
                into.Add(i == 0 ? (path.Length > 0 ? path : compDir) : Combine(compDir, path));
            else
                into.Add(Combine(dirIndex < (ulong)dirs.Count ? dirs[(int)dirIndex] : compDir, path));
        }
    }

    private static string Combine(string dir, string name) =>
        name.StartsWith('/') || dir.Length == 0 ? name : dir.EndsWith('/') ? dir + name : dir + "/" + name;
}
