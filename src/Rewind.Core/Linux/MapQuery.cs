using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rewind.Linux;

/// <summary>
/// The mapping of one address of a process, from the kernel's PROCMAP_QUERY ioctl on its
/// /proc/PID/maps (Linux 6.11, linux/fs.h): one call, where reading and parsing the whole map of a
/// runtime's hundreds of mappings took 0.3 ms. On older kernels, the map read whole.
/// </summary>
internal static class MapQuery
{
    // _IOWR('f', 17, struct procmap_query), whose size is 104 bytes.
    private const nuint ProcmapQuery = 0xc0686611;
    private const int QuerySize = 104, NameRoom = 4096;
    private const ulong Readable = 1, Writable = 2, Executable = 4, SharedFlag = 8;

    // Cleared at the first kernel that does not know the ioctl.
    private static volatile bool s_supported = true;

    /// <summary>The mapping of process <paramref name="pid"/> that holds <paramref name="address"/>; null where none does, or the process is gone.</summary>
    public static MemoryRegion? RegionAt(int pid, RemotePtr address)
    {
        if (s_supported && Query(pid, address) is (true, var region))
        {
            return region;
        }
        try
        {
            return AddressSpace.Read(pid).Regions.FirstOrDefault(r => r.Contains(address));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The kernel's answer (whether it gave one: not where it lacks the ioctl) and the region.</summary>
    private static unsafe (bool Answered, MemoryRegion? Region) Query(int pid, RemotePtr address)
    {
        SafeFileHandle maps;
        try
        {
            maps = File.OpenHandle($"/proc/{pid}/maps");
        }
        catch (IOException)
        {
            return (true, null);
        }
        using (maps)
        {
            Span<ulong> query = stackalloc ulong[QuerySize / 8];
            query.Clear();
            byte* name = stackalloc byte[NameRoom];
            // struct procmap_query: size, query_flags (0: the mapping that holds the address),
            // query_addr; out: vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode,
            // dev_major and dev_minor (u32 each); vma_name_size (u32, in and out), build_id_size,
            // vma_name_addr, build_id_addr.
            var words = MemoryMarshal.Cast<ulong, uint>(query);
            query[0] = QuerySize;
            query[2] = address.Value;
            words[20] = NameRoom;
            query[11] = (ulong)name;
            fixed (ulong* q = query)
            {
                if (Interop.ioctl(maps, ProcmapQuery, (byte*)q) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno is Errno.ENOENT)
                    {
                        return (true, null);
                    }
                    s_supported = false;
                    return (false, null);
                }
            }
            ulong flags = query[5];
            var protection = ((flags & Readable) != 0 ? Protection.Read : 0) | ((flags & Writable) != 0 ? Protection.Write : 0) | ((flags & Executable) != 0 ? Protection.Execute : 0);
            // The name's size counts its NUL; 0 for a mapping with none.
            uint nameLength = words[20];
            string text = nameLength > 1 ? System.Text.Encoding.UTF8.GetString(name, (int)nameLength - 1) : "";
            return (true, new MemoryRegion(new RemotePtr(query[3]), new RemotePtr(query[4]), protection, (flags & SharedFlag) != 0, query[7], query[8], text,
                MemoryRegion.Makedev(words[18], words[19])));
        }
    }
}
