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
    public void The_files_mapped_in_a_range_are_those_the_map_lists()
    {
        var code = AddressSpace.Read(Environment.ProcessId).Regions.Where(r => r.IsFile && !r.Shared && r.Protection.HasFlag(Protection.Execute)).ToList();
        var (start, end) = (code[0].Start, code[^1].End);
        // Private mappings only: the JIT's shared views of its memfd come and go meanwhile.
        var listed = AddressSpace.Read(Environment.ProcessId).Regions.Where(r => r.IsFile && !r.Shared && r.Start < end && r.End > start).ToList();
        Assert.Equal(listed, MapQuery.FileRegionsIn(Environment.ProcessId, start, end).Where(r => !r.Shared));
        Assert.Empty(MapQuery.FileRegionsIn(Environment.ProcessId, new RemotePtr(0x1000), new RemotePtr(0x2000)));
    }

    [Fact]
    public void No_mapping_holds_the_first_page()
    {
        Assert.Null(MapQuery.RegionAt(Environment.ProcessId, new RemotePtr(0x1000)));
    }
}
