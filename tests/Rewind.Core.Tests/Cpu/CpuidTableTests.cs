using Rewind.Cpu;
using Rewind.Linux;

namespace Rewind.Core.Tests.Cpu;

public sealed class CpuidTableTests
{
    [Fact]
    public void Vendor_family_model_and_brand_are_decoded()
    {
        var epyc = CpuidDumps.Epyc;
        Assert.Equal("AuthenticAMD", epyc.Vendor);
        Assert.Equal((0x19, 0x11, 1), (epyc.Family, epyc.Model, epyc.Stepping));
        Assert.Equal("AMD EPYC 9654 96-Core Processor", epyc.Brand);
        var xeon = CpuidDumps.Xeon;
        Assert.Equal("GenuineIntel", xeon.Vendor);
        Assert.Equal((6, 0x8f, 8), (xeon.Family, xeon.Model, xeon.Stepping));
        Assert.Equal("Intel(R) Xeon(R) w7-2475X", xeon.Brand);
    }

    [Fact]
    public void A_leaf_without_subleaves_ignores_ecx_and_one_with_them_reads_it()
    {
        var xeon = CpuidDumps.Xeon;
        Assert.Equal(0x000806F8u, xeon.Answer(1, 5).Eax);
        Assert.Equal(5u, xeon.Answer(1, 5).Subleaf);
        Assert.Equal(0xF3BFBFFBu, xeon.Answer(7, 0).Ebx);
        Assert.Equal(0x00001C30u, xeon.Answer(7, 1).Eax);
        Assert.Equal(0x00000A80u, xeon.Answer(0xd, 9).Ebx); // PKRU's offset
    }

    [Fact]
    public void What_the_table_lacks_answers_zeros()
    {
        var xeon = CpuidDumps.Xeon;
        Assert.Equal(new CpuidLeaf(0x8000_001d, 2, 0, 0, 0, 0), xeon.Answer(0x8000_001d, 2));
        Assert.Equal(new CpuidLeaf(0xd, 3, 0, 0, 0, 0), xeon.Answer(0xd, 3)); // no MPX on Sapphire Rapids
    }

    [Fact]
    public void This_cpu_is_read_with_its_subleaves()
    {
        var here = CpuidTable.ThisCpu();
        Assert.Contains(here.Vendor, new[] { "AuthenticAMD", "GenuineIntel", "HygonGenuine", "CentaurHauls", "  Shanghai  " });
        Assert.Contains(here.Leaves, l => l.Leaf == 0xd && l.Subleaf == 1);
        Assert.Contains(here.Leaves, l => l.Leaf == 0x8000_0001);
        Assert.Contains("sse2", KnownFeatures.Of(here));
        Assert.Equal(here.Leaves.Count, here.Leaves.Select(l => (l.Leaf, l.Subleaf)).Distinct().Count());
    }

    [Fact]
    public void Each_core_reads_the_table_read_once_with_its_own_apic_id()
    {
        var once = CpuidTable.ThisCpu();
        for (int cpu = 0; cpu < Math.Min(Environment.ProcessorCount, 64); cpu++)
        {
            if (ReadOn(cpu) is not var (core, apicId))
                continue;
            Assert.Equal(apicId, core.Answer(1, 0).Ebx >> 24);
            Assert.Equal(once.Answer(1, 0).Ebx, core.Answer(1, 0).Ebx & 0x00ff_ffff);
            Assert.Equal(once.Leaves.Select(l => (l.Leaf, l.Subleaf)), core.Leaves.Select(l => (l.Leaf, l.Subleaf)));
            Assert.Equal(once.Leaves.Where(l => l.Leaf is not (1 or 0xb or 0x1f or 0x8000_001e or 0x8000_0026)), core.Leaves.Where(l => l.Leaf is not (1 or 0xb or 0x1f or 0x8000_001e or 0x8000_0026)));
        }
    }

    /// <summary>
    /// The table as a thread pinned to <paramref name="cpu"/> reads it, and the APIC id a CPUID
    /// there gives; null where the CPU set forbids that CPU.
    /// </summary>
    private static unsafe (CpuidTable Core, uint ApicId)? ReadOn(int cpu)
    {
        (CpuidTable, uint)? read = null;
        var reader = new Thread(() =>
        {
            ulong mask = 1UL << cpu;
            if (Interop.sched_setaffinity(0, sizeof(ulong), &mask) == 0)
                read = (CpuidTable.ThisCore(), (uint)System.Runtime.Intrinsics.X86.X86Base.CpuId(1, 0).Ebx >> 24);
        });
        reader.Start();
        reader.Join();
        return read;
    }
}
