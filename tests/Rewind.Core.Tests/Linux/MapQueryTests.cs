using Rewind.Linux;

namespace Rewind.Core.Tests.Linux;

/// <summary>One address's mapping, asked of the kernel (PROCMAP_QUERY) or read from the whole map.</summary>
public sealed class MapQueryTests
{
    [Fact]
    public void A_librarys_code_is_the_mapping_the_map_lists()
    {
        // The test host's libraries' code (a private mapping of a file: not the JIT's shared views of its memfd), mapped once.
        var code = AddressSpace.Read(Environment.ProcessId).Regions.Where(r => r.IsFile && !r.Shared && r.Protection.HasFlag(Protection.Execute)).ToList();
        Assert.NotEmpty(code);
        foreach (var region in code)
        {
            Assert.Equal(region, MapQuery.RegionAt(Environment.ProcessId, region.Start + (region.Length / 2)));
        }
    }

    [Fact]
    public void No_mapping_holds_the_first_page()
    {
        Assert.Null(MapQuery.RegionAt(Environment.ProcessId, new RemotePtr(0x1000)));
    }
}
