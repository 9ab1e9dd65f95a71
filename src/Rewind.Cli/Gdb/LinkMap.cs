using System.Buffers.Binary;
using System.Security;
using System.Text;

namespace Rewind.Cli.Gdb;

/// <summary>
/// The shared libraries loaded at the present, as qXfer:libraries-svr4 tells gdb: the dynamic
/// linker's list (struct link_map) found through the executable's DT_DEBUG entry, which points at
/// struct r_debug once ld.so has started. Read from the replayed memory, so it is right after any
/// jump in time, where gdb's own shared-library breakpoint was never hit.
/// </summary>
internal static class LinkMap
{
    private const ulong AT_PHDR = 3, AT_PHNUM = 5, PT_PHDR = 6, PT_DYNAMIC = 2, DT_NULL = 0, DT_DEBUG = 21;
    private const int MaxLibraries = 4096;

    public static byte[] Read(IMemoryReader memory, byte[] auxv)
    {
        var xml = new StringBuilder();
        var libraries = new StringBuilder();
        ulong main = 0;
        if (RDebug(memory, auxv) is { } rDebug && rDebug != 0)
        {
            main = U64(memory, rDebug + 8);
            ulong lm = main;
            for (int i = 0; lm != 0 && i < MaxLibraries; i++)
            {
                string name = CString(memory, U64(memory, lm + 8));
                // The first entry is the program itself (no name); gdb knows it as main-lm.
                if (lm != main && name.Length > 0)
                {
                    libraries.Append($"<library name=\"{SecurityElement.Escape(name)}\" lm=\"0x{lm:x}\" l_addr=\"0x{U64(memory, lm):x}\" l_ld=\"0x{U64(memory, lm + 16):x}\" lmid=\"0x0\"/>");
                }
                lm = U64(memory, lm + 24);
            }
        }
        xml.Append("<library-list-svr4 version=\"1.0\"");
        if (main != 0)
        {
            xml.Append($" main-lm=\"0x{main:x}\"");
        }
        xml.Append('>').Append(libraries).Append("</library-list-svr4>");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }

    /// <summary>The address of r_debug: the executable's PT_DYNAMIC entries, found from AT_PHDR, hold it as DT_DEBUG.</summary>
    private static ulong? RDebug(IMemoryReader memory, byte[] auxv)
    {
        ulong phdr = Aux(auxv, AT_PHDR), phnum = Aux(auxv, AT_PHNUM);
        if (phdr == 0 || phnum == 0 || phnum > 256)
        {
            return null;
        }
        ulong bias = 0, dynamic = 0;
        for (ulong i = 0; i < phnum; i++)
        {
            ulong entry = phdr + i * 56;
            uint type = (uint)U64(memory, entry);
            ulong vaddr = U64(memory, entry + 16);
            if (type == PT_PHDR)
            {
                bias = phdr - vaddr;
            }
            else if (type == PT_DYNAMIC)
            {
                dynamic = vaddr;
            }
        }
        if (dynamic == 0)
        {
            return null;
        }
        for (ulong at = bias + dynamic; ; at += 16)
        {
            ulong tag = U64(memory, at);
            if (tag == DT_NULL || at - (bias + dynamic) > 16 * 1024)
            {
                return null;
            }
            if (tag == DT_DEBUG)
            {
                return U64(memory, at + 8);
            }
        }
    }

    private static ulong Aux(byte[] auxv, ulong type)
    {
        for (int i = 0; i + 16 <= auxv.Length; i += 16)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(auxv.AsSpan(i)) == type)
            {
                return BinaryPrimitives.ReadUInt64LittleEndian(auxv.AsSpan(i + 8));
            }
        }
        return 0;
    }

    private static ulong U64(IMemoryReader memory, ulong address)
    {
        Span<byte> b = stackalloc byte[8];
        return memory.Read(new RemotePtr(address), b) == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
    }

    private static string CString(IMemoryReader memory, ulong address)
    {
        if (address == 0)
        {
            return "";
        }
        Span<byte> b = stackalloc byte[4096];
        int n = memory.Read(new RemotePtr(address), b);
        int end = b[..n].IndexOf((byte)0);
        return Encoding.UTF8.GetString(b[..(end < 0 ? n : end)]);
    }
}
