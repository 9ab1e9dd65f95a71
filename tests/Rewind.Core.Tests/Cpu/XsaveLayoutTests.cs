using System.Buffers.Binary;
using Rewind.Cpu;

namespace Rewind.Core.Tests.Cpu;

public sealed class XsaveLayoutTests
{
    private const ulong X87Sse = 0b11, Avx = 1 << 2, Opmask = 1 << 5, Zmm = 0b11 << 6, Pkru = 1 << 9, TileData = 1 << 18;

    [Fact]
    public void Amd_and_intel_place_avx512_and_pkru_differently()
    {
        var epyc = XsaveLayout.Of(CpuidDumps.Epyc);
        var xeon = XsaveLayout.Of(CpuidDumps.Xeon);
        Assert.Equal(0x988, epyc.Size);
        Assert.Equal(0x2B00, xeon.Size);
        Assert.Equal(new XsaveComponent(2, 0x240, 0x100), epyc.Components[2]);
        Assert.Equal(new XsaveComponent(2, 0x240, 0x100), xeon.Components[2]);
        Assert.Equal(0x340, epyc.Components[5].Offset);
        Assert.Equal(0x440, xeon.Components[5].Offset);
        Assert.Equal(0x980, epyc.Components[9].Offset);
        Assert.Equal(0xA80, xeon.Components[9].Offset);
        Assert.False(epyc.Components.ContainsKey(18));
        Assert.False(xeon.Components.ContainsKey(8)); // PT is a supervisor component: not in ptrace's area
    }

    [Fact]
    public void A_state_saved_on_an_epyc_moves_into_a_xeons_layout()
    {
        var epyc = XsaveLayout.Of(CpuidDumps.Epyc);
        var xeon = XsaveLayout.Of(CpuidDumps.Xeon);
        var saved = Saved(epyc, X87Sse | Avx | Opmask | Zmm | Pkru);
        var moved = xeon.Translate(saved, epyc);
        Assert.Equal(xeon.Size, moved.Length);
        Assert.Equal(saved.AsSpan(0, 576).ToArray(), moved.AsSpan(0, 576).ToArray());
        foreach (int i in new[] { 2, 5, 6, 7, 9 })
        {
            var there = epyc.Components[i];
            var here = xeon.Components[i];
            Assert.Equal(saved.AsSpan(there.Offset, there.Size).ToArray(), moved.AsSpan(here.Offset, here.Size).ToArray());
        }
        // And back again, to the same bytes.
        Assert.Equal(saved, epyc.Translate(moved, xeon));
    }

    [Fact]
    public void Components_the_state_does_not_hold_are_left_out()
    {
        var epyc = XsaveLayout.Of(CpuidDumps.Epyc);
        var xeon = XsaveLayout.Of(CpuidDumps.Xeon);
        var saved = Saved(xeon, X87Sse | Avx);
        var moved = epyc.Translate(saved, xeon);
        Assert.Equal(epyc.Size, moved.Length);
        Assert.All(moved.AsSpan(0x340).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_state_holding_a_component_this_cpu_lacks_is_refused_by_name()
    {
        var epyc = XsaveLayout.Of(CpuidDumps.Epyc);
        var xeon = XsaveLayout.Of(CpuidDumps.Xeon);
        var e = Assert.Throws<RewindException>(() => epyc.Translate(Saved(xeon, X87Sse | Avx | TileData), xeon));
        Assert.Contains("AMX tile data", e.Message);
    }

    [Theory]
    [InlineData(0x55555554u, true)]  // the kernel's value for every process: dropped where the CPU has no protection keys
    [InlineData(0x55555550u, false)] // key 1 opened by the program: refused, the program relies on it
    public void Pkru_is_dropped_where_this_cpu_lacks_it_only_at_the_kernels_value(uint pkru, bool restored)
    {
        var xeon = XsaveLayout.Of(CpuidDumps.Xeon);
        // An EPYC as a hypervisor shows it without protection keys: XCR0 without PKRU.
        var noKeys = XsaveLayout.Of(CpuidDumps.Epyc.Without(0xd, 0, CpuidRegister.Eax, 9));
        var saved = Saved(xeon, X87Sse | Avx | Pkru);
        BinaryPrimitives.WriteUInt32LittleEndian(saved.AsSpan(xeon.Components[9].Offset), pkru);
        if (!restored)
        {
            Assert.Contains("PKRU", Assert.Throws<RewindException>(() => noKeys.Translate(saved, xeon)).Message);
            return;
        }
        var moved = noKeys.Translate(saved, xeon);
        Assert.Equal(noKeys.Size, moved.Length);
        Assert.Equal(X87Sse | Avx, BinaryPrimitives.ReadUInt64LittleEndian(moved.AsSpan(512)));
        Assert.Equal(saved.AsSpan(xeon.Components[2].Offset, 256).ToArray(), moved.AsSpan(noKeys.Components[2].Offset, 256).ToArray());
    }

    [Fact]
    public void The_same_layout_keeps_the_state_as_it_is()
    {
        var xeon = XsaveLayout.Of(CpuidDumps.Xeon);
        var saved = Saved(xeon, X87Sse | Avx | Opmask);
        Assert.Same(saved, xeon.Translate(saved, XsaveLayout.Of(CpuidDumps.Xeon)));
    }

    /// <summary>An XSAVE area of <paramref name="layout"/> holding <paramref name="held"/>, each byte numbered so moves show.</summary>
    private static byte[] Saved(XsaveLayout layout, ulong held)
    {
        var area = new byte[layout.Size];
        for (int i = 0; i < area.Length; i++)
        {
            area[i] = (byte)(i * 7 + 1);
        }
        area.AsSpan(512, 64).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(area.AsSpan(512), held);
        return area;
    }
}
