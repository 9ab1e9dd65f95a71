using System.Runtime.Intrinsics.X86;

namespace Rewind.Cpu;

public sealed partial class CpuidTable
{
    /// <summary>How the subleaves of a leaf are enumerated (Intel SDM vol. 2A and AMD APM vol. 3, CPUID).</summary>
    private enum Subleaves
    {
        /// <summary>Until the cache type in eax[4:0] is 0 ("no more caches"): leaves 4 and 0x8000001d.</summary>
        UntilNoCache,

        /// <summary>Until the level type in ecx[15:8] is 0 ("invalid"): the topology leaves 0xb, 0x1f, 0x80000026.</summary>
        UntilNoLevel,

        /// <summary>0 up to the highest subleaf that subleaf 0 names in eax: 7, 0x14, 0x17, 0x18, 0x1d, 0x20, 0x23, 0x24.</summary>
        UpToSubleafZeroEax,

        /// <summary>Sparse, indexed by a bit of a mask (XSAVE components, resource types): every non-zero answer of 0..63.</summary>
        NonZero,
    }

    private const uint MaxSubleaf = 63;

    private static Subleaves? SubleavesOf(uint leaf) => leaf switch
    {
        4 or 0x8000_001d => Subleaves.UntilNoCache,
        0xb or 0x1f or 0x8000_0026 => Subleaves.UntilNoLevel,
        7 or 0x14 or 0x17 or 0x18 or 0x1d or 0x20 or 0x23 or 0x24 => Subleaves.UpToSubleafZeroEax,
        0xd or 0xf or 0x10 or 0x12 or 0x8000_0020 => Subleaves.NonZero,
        _ => null,
    };

    /// <summary>Whether CPUID reads ecx for <paramref name="leaf"/>.</summary>
    private static bool HasSubleaves(uint leaf) => SubleavesOf(leaf) != null;

    /// <summary>
    /// Read once a process: every CPUID is a trap to the hypervisor on a VM, and a table is some
    /// 450 of them (about 1 ms on the project's VM; a recording's start read it twice, a replay's
    /// up to four times).
    /// </summary>
    private static readonly Lazy<CpuidTable> This = new(() => new(Enumerate().Select(WithoutCoreIds)));

    /// <summary>Every leaf and subleaf of this CPU that software reads: basic leaves 0..max, extended 0x80000000..max; the ids of the core it was read on as those of core 0.</summary>
    public static CpuidTable ThisCpu() => This.Value;

    /// <summary>
    /// <see cref="ThisCpu"/> as a program running on the calling thread's core reads it: with that
    /// core's APIC ids, which a program pinned there reads again and again (the leaves that hold
    /// them read again here).
    /// </summary>
    public static CpuidTable ThisCore() => new(ThisCpu().Leaves.Select(l => NamesCore(l.Leaf) ? Read(l.Leaf, l.Subleaf) : l));

    private static List<CpuidLeaf> Enumerate()
    {
        var leaves = new List<CpuidLeaf>();
        foreach (uint first in new uint[] { 0, 0x8000_0000 })
        {
            uint max = Read(first, 0).Eax;
            // A CPU without extended leaves answers garbage (often its highest basic leaf) for 0x80000000.
            if (max < first || max - first > 0xff)
            {
                continue;
            }
            for (uint leaf = first; leaf <= max; leaf++)
            {
                leaves.AddRange(SubleavesOf(leaf) is { } kind ? ReadSubleaves(leaf, kind) : [Read(leaf, 0)]);
            }
        }
        return leaves;
    }

    private static IEnumerable<CpuidLeaf> ReadSubleaves(uint leaf, Subleaves kind)
    {
        var zero = Read(leaf, 0);
        uint last = kind == Subleaves.UpToSubleafZeroEax ? Math.Min(zero.Eax, MaxSubleaf) : MaxSubleaf;
        for (uint subleaf = 0; subleaf <= last; subleaf++)
        {
            var l = subleaf == 0 ? zero : Read(leaf, subleaf);
            bool ends = kind switch
            {
                Subleaves.UntilNoCache => (l.Eax & 0x1f) == 0,
                Subleaves.UntilNoLevel => ((l.Ecx >> 8) & 0xff) == 0,
                _ => false,
            };
            if (ends)
            {
                yield break;
            }
            if (kind != Subleaves.NonZero || subleaf == 0 || l.Eax != 0 || l.Ebx != 0 || l.Ecx != 0 || l.Edx != 0)
            {
                yield return l;
            }
        }
    }

    private static CpuidLeaf Read(uint leaf, uint subleaf)
    {
        (int eax, int ebx, int ecx, int edx) = X86Base.CpuId((int)leaf, (int)subleaf);
        return new CpuidLeaf(leaf, subleaf, (uint)eax, (uint)ebx, (uint)ecx, (uint)edx);
    }

    /// <summary>
    /// <paramref name="l"/> with the fields that name the core the reading thread ran on set to those of
    /// the first core (0): the initial APIC id (leaf 1 ebx[31:24]), the x2APIC id (edx of the topology
    /// leaves 0xb, 0x1f and 0x80000026), and AMD's extended APIC, core and node ids (leaf 0x8000001e).
    /// The table describes the CPU, not where the scheduler put the recorder, so two reads agree.
    /// </summary>
    private static CpuidLeaf WithoutCoreIds(CpuidLeaf l) => l.Leaf switch
    {
        1 => l with { Ebx = l.Ebx & 0x00ff_ffff },
        0xb or 0x1f or 0x8000_0026 => l with { Edx = 0 },
        0x8000_001e => l with { Eax = 0, Ebx = l.Ebx & ~0xffu, Ecx = l.Ecx & ~0xffu },
        _ => l,
    };

    /// <summary>Whether <paramref name="leaf"/> holds ids of the core that reads it: the leaves <see cref="WithoutCoreIds"/> changes.</summary>
    private static bool NamesCore(uint leaf) => leaf is 1 or 0xb or 0x1f or 0x8000_001e or 0x8000_0026;
}
