namespace Rewind.Symbols;

/// <summary>One note of a PT_NOTE segment or SHT_NOTE section.</summary>
public sealed record ElfNote(string Owner, uint Type, ReadOnlyMemory<byte> Descriptor)
{
    public const uint NT_GNU_BUILD_ID = 3;

    private const int MaxNotes = 100_000;

    /// <summary>Parses a note area; stops cleanly at its end, throws on a truncated note.</summary>
    public static List<ElfNote> ParseAll(ReadOnlyMemory<byte> area)
    {
        var notes = new List<ElfNote>();
        var r = new SpanReader(area.Span);
        while (r.Remaining >= 12)
        {
            if (notes.Count >= MaxNotes)
                throw new InvalidDataException($"more than {MaxNotes} notes");
            uint nameSize = r.U32(), descSize = r.U32(), type = r.U32();
            var name = r.Bytes(nameSize);
            r.Skip((ulong)((4 - (int)(nameSize % 4)) % 4));
            int descStart = r.Position;
            r.Skip(descSize);
            var desc = area.Slice(descStart, (int)descSize);
            if (r.Remaining > 0)
                r.Skip(Math.Min((ulong)r.Remaining, (ulong)((4 - (int)(descSize % 4)) % 4)));
            string owner = System.Text.Encoding.ASCII.GetString(name).TrimEnd('\0');
            notes.Add(new ElfNote(owner, type, desc));
        }
        return notes;
    }
}
