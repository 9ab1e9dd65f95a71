using System.IO.MemoryMappedFiles;

namespace Rewind.Core.Tests.Values;

public sealed class MemoryRegionTests
{
    [Fact]
    public void File_mapping_line()
    {
        var r = MemoryRegion.Parse("555555554000-555555556000 r-xp 00002000 08:01 1311194                    /usr/bin/cat");
        Assert.Equal(new RemotePtr(0x555555554000), r.Start);
        Assert.Equal(new RemotePtr(0x555555556000), r.End);
        Assert.Equal(0x2000UL, r.Length);
        Assert.Equal(Protection.Read | Protection.Execute, r.Protection);
        Assert.False(r.Shared);
        Assert.Equal(0x2000UL, r.FileOffset);
        Assert.Equal(1311194UL, r.Inode);
        Assert.Equal("/usr/bin/cat", r.Name);
        Assert.True(r.IsFile);
        Assert.False(r.IsKernelProvided);
        Assert.Equal("555555554000-555555556000 r-xp 00002000 /usr/bin/cat", r.ToString());
    }

    [Fact]
    public void Anonymous_line_has_no_name()
    {
        var r = MemoryRegion.Parse("7ffff7d87000-7ffff7d8a000 rw-s 00000000 00:00 0 ");
        Assert.Equal("", r.Name);
        Assert.Equal(0UL, r.Inode);
        Assert.True(r.Shared);
        Assert.Equal(Protection.Read | Protection.Write, r.Protection);
        Assert.False(r.IsFile);
        Assert.Equal("", MemoryRegion.Parse("7ffff7d87000-7ffff7d8a000 ---p 00000000 00:00 0").Name);
        Assert.Equal(Protection.None, MemoryRegion.Parse("7ffff7d87000-7ffff7d8a000 ---p 00000000 00:00 0").Protection);
    }

    [Theory]
    [InlineData("7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]", "[stack]", false)]
    [InlineData("7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0                          [vvar]", "[vvar]", true)]
    [InlineData("7ffff7fc5000-7ffff7fc7000 r--p 00000000 00:00 0                          [vvar_vclock]", "[vvar_vclock]", true)]
    [InlineData("7ffff7fc7000-7ffff7fc9000 r-xp 00000000 00:00 0                          [vdso]", "[vdso]", true)]
    [InlineData("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]", "[vsyscall]", true)]
    [InlineData("555555559000-55555557a000 rw-p 00000000 00:00 0                          [heap]", "[heap]", false)]
    public void Kernel_named_regions(string line, string name, bool kernelProvided)
    {
        var r = MemoryRegion.Parse(line);
        Assert.Equal(name, r.Name);
        Assert.Equal(kernelProvided, r.IsKernelProvided);
        Assert.Equal(name == "[stack]", r.IsStack);
        Assert.False(r.IsFile);
    }

    [Fact]
    public void Names_with_spaces_and_deleted_files()
    {
        var r = MemoryRegion.Parse("7ffff7fc9000-7ffff7fca000 rw-s 00001000 00:2a 77 /home/user/dir with  spaces/data file (deleted)");
        Assert.Equal("/home/user/dir with  spaces/data file (deleted)", r.Name);
        Assert.Equal(0x1000UL, r.FileOffset);
        Assert.True(r.IsFile);
    }

    [Theory]
    [InlineData("7ffff7fba000-7ffff7fbd000 rw-s 00000000 00:01 42                         /SYSV00000000 (deleted)", 42UL)]
    [InlineData("7ffff7fba000-7ffff7fbd000 r--s 00000000 00:01 0                          /SYSV1234abcd (deleted)", 0UL)]
    public void A_System_V_segment_is_a_shared_file_named_by_its_id_even_the_first(string line, ulong id)
    {
        var r = MemoryRegion.Parse(line);
        Assert.True(r.IsSysVSegment);
        Assert.True(r.IsFile);
        Assert.Equal(id, r.Inode);
        Assert.Equal(1UL, r.Device);
    }

    [Theory]
    [InlineData("7ffff7fba000-7ffff7fbd000 rw-p 00000000 08:01 42                         /SYSV00000000 (deleted)")] // private: a copy
    [InlineData("7ffff7fba000-7ffff7fbd000 rw-s 00000000 08:01 42                         /SYSV00000000")] // a file of that name
    [InlineData("7ffff7fba000-7ffff7fbd000 rw-s 00000000 00:01 7                          /dev/zero (deleted)")]
    public void Other_shared_mappings_are_no_System_V_segments(string line) => Assert.False(MemoryRegion.Parse(line).IsSysVSegment);

    [Fact]
    public void Every_line_of_our_own_maps_parses_including_a_deleted_file_with_spaces()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rewind maps " + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "mapped  file.bin");
        try
        {
            File.WriteAllBytes(file, new byte[8192]);
            using var map = MemoryMappedFile.CreateFromFile(file, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = map.CreateViewAccessor(0, 8192, MemoryMappedFileAccess.Read);
            File.Delete(file);

            var regions = File.ReadAllLines("/proc/self/maps").Select(MemoryRegion.Parse).ToList();

            Assert.Contains(regions, r => r.IsStack);
            Assert.Contains(regions, r => r.Name == "[vdso]" && r.IsKernelProvided);
            Assert.Contains(regions, r => r.Name == "[vvar]" && r.IsKernelProvided);
            Assert.Contains(regions, r => r.Name == "" && r.Inode == 0 && !r.IsFile);
            var mapped = Assert.Single(regions, r => r.Name == file + " (deleted)");
            Assert.True(mapped.IsFile);
            Assert.Equal(Protection.Read, mapped.Protection);
            Assert.All(regions, r => Assert.True(r.End > r.Start));
            Assert.Contains(regions, r => r.IsFile && r.Name.EndsWith("/libcoreclr.so", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("7ffff7fc9000-7ffff7fca000 rw-s 00001000")]
    public void A_line_with_too_few_fields_is_refused(string line) => Assert.Throws<RewindException>(() => MemoryRegion.Parse(line));

    [Fact]
    public void Contains_is_half_open()
    {
        var r = MemoryRegion.Parse("1000-2000 r--p 00000000 00:00 0");
        Assert.True(r.Contains(new RemotePtr(0x1000)));
        Assert.True(r.Contains(new RemotePtr(0x1fff)));
        Assert.False(r.Contains(new RemotePtr(0x2000)));
        Assert.False(r.Contains(new RemotePtr(0xfff)));
    }
}
