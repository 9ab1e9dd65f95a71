using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests.Bounds;

/// <summary>Malformed ELF files end in one clean <see cref="DebugInfoException"/> naming the file.</summary>
public sealed class ElfBoundsTests
{
    private static DebugInfoException Bad(byte[] bytes) => Assert.Throws<DebugInfoException>(() => ElfFile.Parse(bytes, "bad.so"));

    [Fact]
    public void Empty_file_is_truncated()
    {
        var e = Bad([]);
        Assert.Contains("bad.so", e.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void Bad_magic() => Assert.Contains("bad magic", Bad(new byte[64]).Message, StringComparison.Ordinal);

    [Fact]
    public void Elf32_is_refused()
    {
        var bytes = ElfBuilder.Build();
        bytes[4] = 1;
        Assert.Contains("not a 64-bit", Bad(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_header()
    {
        var bytes = ElfBuilder.Build()[..40];
        Assert.Contains("truncated", Bad(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Section_table_past_the_end()
    {
        var bytes = ElfBuilder.Build();
        BitConverter.GetBytes(0x7fff_ffff_fffful).CopyTo(bytes, 0x28);
        Assert.Contains("past the end", Bad(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Section_data_outside_the_file()
    {
        var bytes = ElfBuilder.Build((".debug_info", new byte[16]));
        int shoff = (int)BitConverter.ToUInt64(bytes, 0x28);
        BitConverter.GetBytes(0xffff_fffful).CopyTo(bytes, shoff + 64 + 32); // sh_size of section 1
        Assert.Contains("lies outside the file", Bad(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_extended_section_count()
    {
        var bytes = ElfBuilder.Build();
        int shoff = (int)BitConverter.ToUInt64(bytes, 0x28);
        bytes[0x3c] = 0;
        bytes[0x3d] = 0; // e_shnum 0: the count is in section 0's sh_size
        BitConverter.GetBytes(1_000_000_000ul).CopyTo(bytes, shoff + 32);
        Assert.Contains("exceeds the limit", Bad(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Section_name_index_out_of_range()
    {
        var bytes = ElfBuilder.Build();
        bytes[0x3e] = 200;
        Assert.Contains("out of range", Bad(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_note()
    {
        var note = new ByteWriter().U32(4).U32(0x1000_0000).U32(3).CString("GNU").ToArray();
        // The builder marks every section PROGBITS; notes are read from SHT_NOTE, so patch the type.
        var bytes = ElfBuilder.Build((".note.gnu.build-id", note));
        int shoff = (int)BitConverter.ToUInt64(bytes, 0x28);
        BitConverter.GetBytes(7u).CopyTo(bytes, shoff + 64 + 4);
        var elf = ElfFile.Parse(bytes, "bad.so");
        var e = Assert.Throws<DebugInfoException>(() => elf.BuildId);
        Assert.Contains("bad note", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_build_id_reads()
    {
        var note = new ByteWriter().U32(4).U32(4).U32(3).CString("GNU").U8(0xde, 0xad, 0xbe, 0xef).ToArray();
        var bytes = ElfBuilder.Build((".note.gnu.build-id", note));
        int shoff = (int)BitConverter.ToUInt64(bytes, 0x28);
        BitConverter.GetBytes(7u).CopyTo(bytes, shoff + 64 + 4);
        Assert.Equal("deadbeef", ElfFile.Parse(bytes, "ok.so").BuildId);
    }

    [Fact]
    public void Symbol_table_with_missing_string_table()
    {
        var sym = new byte[24];
        var bytes = ElfBuilder.Build((".symtab", sym));
        int shoff = (int)BitConverter.ToUInt64(bytes, 0x28);
        BitConverter.GetBytes(2u).CopyTo(bytes, shoff + 64 + 4);   // SHT_SYMTAB
        BitConverter.GetBytes(99u).CopyTo(bytes, shoff + 64 + 40); // sh_link
        var elf = ElfFile.Parse(bytes, "bad.so");
        Assert.Contains("missing section", Assert.Throws<DebugInfoException>(() => elf.Symbols).Message, StringComparison.Ordinal);
    }
}
