namespace Rewind;

/// <summary>A tracee's memory map at one moment.</summary>
public sealed class AddressSpace(IReadOnlyList<MemoryRegion> regions)
{
    public const int PageSize = 4096;

    public IReadOnlyList<MemoryRegion> Regions { get; } = regions;

    public static AddressSpace Read(int pid) =>
        new(File.ReadAllLines($"/proc/{pid}/maps").Where(l => l.Length > 0).Select(MemoryRegion.Parse).ToList());

    /// <summary>The first <c>syscall</c> instruction (0f 05) in executable memory, for injecting syscalls.</summary>
    public RemotePtr? FindSyscallInstruction(IMemoryReader memory)
    {
        var buffer = new byte[PageSize * 16];
        foreach (var region in Regions.Where(r => r.Protection.HasFlag(Protection.Execute) && r.Name != "[vsyscall]"))
        {
            for (var at = region.Start; at < region.End; at += (ulong)buffer.Length - 1)
            {
                int want = (int)Math.Min((ulong)buffer.Length, region.End - at);
                int n = memory.Read(at, buffer.AsSpan(0, want));
                int i = buffer.AsSpan(0, n).IndexOf((ReadOnlySpan<byte>)[0x0f, 0x05]);
                if (i >= 0)
                {
                    return at + (ulong)i;
                }
                if (n < want)
                {
                    break;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Free room of <paramref name="size"/> bytes within reach of a rel32 jump from
    /// <paramref name="pc"/>, the nearest to it, a page away from any mapping (so that the kernel
    /// merges it with none); null where there is none.
    /// </summary>
    public RemotePtr? FreeRoomNear(RemotePtr pc, ulong size)
    {
        const ulong Reach = (1UL << 31) - (1UL << 20);
        ulong low = pc.Value > Reach ? pc.Value - Reach : PageSize * 16UL, high = pc.Value + Reach;
        RemotePtr? best = null;
        ulong bestDistance = ulong.MaxValue;
        for (int i = 0; i + 1 < Regions.Count; i++)
        {
            ulong gapStart = Regions[i].End.Value + PageSize, gapEnd = Regions[i + 1].Start.Value - PageSize;
            if (gapEnd < gapStart + size)
            {
                continue;
            }
            // The gap's room nearest the pc, kept within reach.
            ulong candidate = Math.Clamp(PageDown(pc.Value), gapStart, gapEnd - size);
            if (candidate < low || candidate > high)
            {
                continue;
            }
            ulong distance = candidate > pc.Value ? candidate - pc.Value : pc.Value - candidate;
            if (distance < bestDistance)
            {
                (best, bestDistance) = (new RemotePtr(candidate), distance);
            }
        }
        return best;
    }

    public static ulong PageDown(ulong a) => a & ~(ulong)(PageSize - 1);

    public static ulong PageUp(ulong a) => (a + PageSize - 1) & ~(ulong)(PageSize - 1);
}
