using System.Buffers.Binary;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// The syscall sites of one recorded image patched to Rewind's page of hooked syscalls
/// (<see cref="SyscallHookPage"/>), and the pages of stubs they jump to. A site is the
/// instruction that sets its number before its <c>syscall</c> (<see cref="SyscallSite"/>), as
/// glibc's wrappers and ld.so make theirs: it becomes a jump to a stub near the site (within a
/// rel32's reach), which calls the page with NR in eax below the red zone and comes back after
/// the site's syscall instruction, or to it where the page did not make the call. Only that one
/// instruction changes, for one as long, so no thread can be inside the bytes that change (a pc
/// is never in the middle of an instruction), and the syscall instruction stays as it was for any
/// code that jumps to it, and for a call the kernel restarts there. A site is patched at the exit
/// of a hooked syscall made from it, once; each patch is a <see cref="CodePatchEvent"/>, which
/// replay makes again at the same point of the log.
/// </summary>
internal sealed class SyscallSites
{
    /// <summary>The room a stub takes in its page, more than it needs with the most instructions moved.</summary>
    internal const int StubRoom = 80;

    private const int JumpLength = 5;

    // The pages of stubs mapped, with the bytes used; the sites looked at (patched, or left as they
    // are), by their syscall instructions; the hops that short jumps go through (SyscallSite.Hop).
    private readonly List<(RemotePtr Page, int Used)> _pages;
    private readonly HashSet<ulong> _looked;
    private readonly HashSet<ulong> _hops;

    public SyscallSites() : this([], [], [])
    {
    }

    private SyscallSites(List<(RemotePtr, int)> pages, HashSet<ulong> looked, HashSet<ulong> hops)
    {
        _pages = pages;
        _looked = looked;
        _hops = hops;
    }

    /// <summary>A fork child's: its memory is a copy, with the same patches and stubs.</summary>
    public SyscallSites Inherited() => new([.. _pages], [.. _looked], [.. _hops]);

    /// <summary>
    /// Patches the site of the syscall that <paramref name="t"/> (stopped at its exit) made with
    /// <paramref name="entry"/>, if the page makes that syscall and the site is one; returns the
    /// patch to log, or null where nothing was patched.
    /// </summary>
    public CodePatchEvent? Patch(Tracee t, in Registers entry, Tid tid, long time)
    {
        int nr = entry.SyscallNumber;
        var syscall = new RemotePtr(entry.Rip - 2);
        if (!SyscallHookPage.Hooks(nr) || !_looked.Add(syscall.Value) || SyscallSite.Find(t, syscall, nr, _hops) is not { } site)
        {
            return null;
        }
        // Only code of a file's private mapping that the program cannot write, the hop's too: a
        // shared mapping's patch would change the file under every process that maps it, and code
        // a JIT writes may be moved or read back by it.
        if (MapQuery.RegionAt(t.Pid, site.At) is not { Shared: false, IsFile: true } region || region.Protection.HasFlag(Protection.Write)
            || site.Hop is { } beyond && beyond + JumpLength > region.End || Stubs(t, site.At) is not var (stubs, mapped))
        {
            return null;
        }
        var (page, used) = _pages[stubs];
        var stub = page + (ulong)used;
        byte[] stubCode = SyscallHookPage.Stub(stub, site.Moved, site.Syscall, nr);
        try
        {
            t.Write(stub, stubCode);
        }
        catch (RewindException)
        {
            // The program unmapped the page of stubs (a munmap of a range around it): no more stubs there.
            _pages.RemoveAt(stubs);
            return null;
        }
        _pages[stubs] = (page, used + StubRoom);
        // The site's jump last, once what it leads to is in place.
        List<MemoryWrite> writes = [new(stub, stubCode)];
        if (site.Hop is { } hop)
        {
            _hops.Add(hop.Value);
            writes.Add(new(hop, Jump(hop, stub)));
            writes.Add(new(site.At, [0xeb, (byte)(sbyte)((long)hop.Value - (long)(site.At.Value + 2))]));
        }
        else
        {
            writes.Add(new(site.At, Jump(site.At, stub)));
        }
        foreach (var write in writes.Skip(1))
        {
            t.Write(write.Address, write.Data);
        }
        return new CodePatchEvent(tid, time, mapped, [.. writes]);
    }

    /// <summary>A <c>jmp rel32</c> at <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static byte[] Jump(RemotePtr from, RemotePtr to)
    {
        var jump = new byte[JumpLength];
        jump[0] = 0xe9;
        BinaryPrimitives.WriteInt32LittleEndian(jump.AsSpan(1), (int)((long)to.Value - (long)(from.Value + JumpLength)));
        return jump;
    }

    /// <summary>A page of stubs with room for one more within reach of <paramref name="site"/>: one mapped before, or one mapped now (then named in the second item); null where none can be.</summary>
    private (int Index, RemotePtr[] Mapped)? Stubs(Tracee t, RemotePtr site)
    {
        int known = _pages.FindIndex(p => p.Used + StubRoom <= AddressSpace.PageSize && Reaches(site, p.Page));
        if (known >= 0)
        {
            return (known, []);
        }
        if (AddressSpace.Read(t.Pid).FreeRoomNear(site, AddressSpace.PageSize) is not { } room)
        {
            return null;
        }
        if (SyscallHookPage.MapStubs(t, room) != (long)room.Value)
        {
            return null;
        }
        _pages.Add((room, 0));
        return (_pages.Count - 1, [room]);
    }

    /// <summary>Whether rel32 jumps reach from <paramref name="site"/> to the whole page at <paramref name="page"/> and back.</summary>
    private static bool Reaches(RemotePtr site, RemotePtr page)
    {
        const long Reach = (1L << 31) - (1L << 20);
        long distance = (long)page.Value - (long)site.Value;
        return distance is > -Reach and < Reach;
    }
}
