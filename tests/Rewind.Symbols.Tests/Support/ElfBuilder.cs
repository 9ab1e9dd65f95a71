using System.Text;

namespace Rewind.Symbols.Tests.Support;

/// <summary>A minimal ELF64 x86-64 shared object holding the given sections, built in memory.</summary>
internal static class ElfBuilder
{
    public static byte[] Build(params (string Name, byte[] Data)[] sections) => Build(0x1000, sections);

    /// <param name="textAddress">Address given to a ".text" section, if any.</param>
    public static byte[] Build(ulong textAddress, params (string Name, byte[] Data)[] sections)
    {
        var names = new ByteWriter().U8(0);
        var nameOffsets = new List<uint>();
        foreach (var (name, _) in sections)
        {
            nameOffsets.Add((uint)names.Length);
            names.CString(name);
        }
        uint shstrtabName = (uint)names.Length;
        names.CString(".shstrtab");
        var all = sections.Append((".shstrtab", names.ToArray())).ToList();

        var file = new ByteWriter();
        file.U8(0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0).U64(0);
        file.U16(3).U16(62).U32(1).U64(0).U64(0); // e_type ET_DYN, e_machine, e_version, e_entry, e_phoff
        int shoffAt = file.Length;
        file.U64(0).U32(0).U16(64).U16(56).U16(0).U16(64).U16((ushort)(all.Count + 1)).U16((ushort)all.Count);
        var offsets = new List<int>();
        foreach (var (_, data) in all)
        {
            offsets.Add(file.Length);
            file.Bytes(data);
        }
        while (file.Length % 8 != 0)
            file.U8(0);
        int shoff = file.Length;
        file.Bytes(new byte[64]); // the null section
        for (int i = 0; i < all.Count; i++)
        {
            var (name, data) = all[i];
            uint nameOffset = i < nameOffsets.Count ? nameOffsets[i] : shstrtabName;
            uint type = name == ".shstrtab" ? 3u : 1u;
            ulong flags = name == ".text" ? 0x6ul : name == ".eh_frame" ? 0x2ul : 0;
            ulong address = name == ".text" ? textAddress : name == ".eh_frame" ? 0x400UL : 0UL;
            file.U32(nameOffset).U32(type).U64(flags).U64(address).U64((ulong)offsets[i]).U64((ulong)data.Length)
                .U32(0).U32(0).U64(1).U64(0);
        }
        var bytes = file.ToArray();
        BitConverter.GetBytes((ulong)shoff).CopyTo(bytes, shoffAt);
        return bytes;
    }

    /// <summary>A module over the built file, as a replay would open it (bytes from a stream).</summary>
    public static Module Module(byte[] elf) =>
        Symbols.Module.Load("/test/lib.so", new RemotePtr(0x1000), new RemotePtr(0x100000), 0, _ => new MemoryStream(elf), "/nonexistent");

    public static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);
}
