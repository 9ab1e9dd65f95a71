using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rewind.Linux;

/// <summary>
/// Mappings of a process asked of the kernel one at a time, by the PROCMAP_QUERY ioctl on its
/// /proc/PID/maps (Linux 6.11, linux/fs.h), where reading and parsing the whole map of a runtime's
/// hundreds of mappings took 0.3 ms. On older kernels, the map read whole.
/// </summary>
internal static class MapQuery
{
    // _IOWR('f', 17, struct procmap_query), whose size is 104 bytes.
    private const nuint ProcmapQuery = 0xc0686611;
    private const int QuerySize = 104, NameRoom = 4096;
    private const ulong Readable = 1, Writable = 2, Executable = 4, SharedFlag = 8;

    // Query flags: the mapping holding the address or else the next one; only mappings of files.
    private const ulong CoveringOrNext = 0x10, FileBacked = 0x20;

    // Cleared at the first kernel that does not know the ioctl.
    private static volatile bool s_supported = true;

    /// <summary>The mapping of process <paramref name="pid"/> that holds <paramref name="address"/>; null where none does, or the process is gone.</summary>
    public static MemoryRegion? RegionAt(int pid, RemotePtr address)
    {
        using var maps = Open(pid);
        if (maps != null && s_supported && Query(maps, address, 0) is (true, var region))
        {
            return region;
        }
        return Whole(pid).FirstOrDefault(r => r.Contains(address));
    }

    /// <summary>The mappings of files (as the kernel has them: shared anonymous memory too) of process <paramref name="pid"/> that meet [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static List<MemoryRegion> FileRegionsIn(int pid, RemotePtr start, RemotePtr end)
    {
        using var maps = Open(pid);
        var found = new List<MemoryRegion>();
        for (var at = start; maps != null && s_supported && at < end;)
        {
            var (answered, region) = Query(maps, at, CoveringOrNext | FileBacked);
            if (!answered)
            {
                break;
            }
            if (region == null || region.Start >= end)
            {
                return found;
            }
            found.Add(region);
            at = region.End;
        }
        return [.. Whole(pid).Where(r => r.IsFile && r.Start < end && r.End > start)];
    }

    private static SafeFileHandle? Open(int pid)
    {
        try
        {
            return File.OpenHandle($"/proc/{pid}/maps");
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The whole map, where the kernel answers no query; none where the process is gone.</summary>
    private static IReadOnlyList<MemoryRegion> Whole(int pid)
    {
        try
        {
            return AddressSpace.Read(pid).Regions;
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The kernel's answer to one query (whether it gave one: not where it lacks the ioctl), and the mapping it named, if any.</summary>
    private static unsafe (bool Answered, MemoryRegion? Region) Query(SafeFileHandle maps, RemotePtr address, ulong flags)
    {
        // struct procmap_query: size, query_flags, query_addr; out: vma_start, vma_end, vma_flags,
        // vma_page_size, vma_offset, inode, dev_major and dev_minor (u32 each); vma_name_size (u32,
        // in and out), build_id_size, vma_name_addr, build_id_addr.
        Span<ulong> query = stackalloc ulong[QuerySize / 8];
        query.Clear();
        byte* name = stackalloc byte[NameRoom];
        var words = MemoryMarshal.Cast<ulong, uint>(query);
        query[0] = QuerySize;
        query[1] = flags;
        query[2] = address.Value;
        words[20] = NameRoom;
        query[11] = (ulong)name;
        fixed (ulong* q = query)
        {
            if (Interop.ioctl(maps, ProcmapQuery, (byte*)q) != 0)
            {
                if (Marshal.GetLastPInvokeError() is Errno.ENOENT)
                {
                    return (true, null);
                }
                s_supported = false;
                return (false, null);
            }
        }
        ulong vma = query[5];
        var protection = ((vma & Readable) != 0 ? Protection.Read : 0) | ((vma & Writable) != 0 ? Protection.Write : 0) | ((vma & Executable) != 0 ? Protection.Execute : 0);
        // The name's size counts its NUL; 0 for a mapping with none.
        uint nameLength = words[20];
        string text = nameLength > 1 ? System.Text.Encoding.UTF8.GetString(name, (int)nameLength - 1) : "";
        return (true, new MemoryRegion(new RemotePtr(query[3]), new RemotePtr(query[4]), protection, (vma & SharedFlag) != 0, query[7], query[8], text,
            MemoryRegion.Makedev(words[18], words[19])));
    }
}
