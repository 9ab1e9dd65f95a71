using Rewind.Cpu;

namespace Rewind.Core.Tests.Cpu;

public sealed class CpuidSitesTests
{
    /// <summary>The dynamic loader of this machine: glibc's init_cpu_features runs CPUID there.</summary>
    private static readonly string Loader = "/lib64/ld-linux-x86-64.so.2";

    [Fact]
    public void The_loaders_cpuid_instructions_are_found_and_nothing_else()
    {
        byte[] file = File.ReadAllBytes(Loader);
        var sites = CpuidSites.In(file);
        Assert.NotEmpty(sites);
        Assert.All(sites, at => Assert.Equal(new byte[] { 0x0f, 0xa2 }, file.AsSpan((int)at, 2).ToArray()));
        // Many more 0f a2 pairs lie in the file, inside other instructions and data: they are no sites.
        int pairs = Enumerable.Range(0, file.Length - 1).Count(i => file[i] == 0x0f && file[i + 1] == 0xa2);
        Assert.True(pairs >= sites.Count);
    }

    [Fact]
    public void A_file_that_is_not_elf_has_none()
    {
        Assert.Empty(CpuidSites.In("#!/bin/sh\necho \x0f\xa2\n"u8));
        Assert.Empty(CpuidSites.In([]));
    }

    [Fact]
    public void A_section_that_does_not_decode_gives_none()
    {
        byte[] file = File.ReadAllBytes(Loader);
        var sites = CpuidSites.In(file);
        // 0x06 (push es) is invalid in 64-bit mode: the section holding the first site is data to the decoder now.
        byte[] broken = [.. file];
        broken[(int)sites[0]] = 0x06;
        broken[(int)sites[0] + 1] = 0x90;
        Assert.True(CpuidSites.In(broken).Count < sites.Count);
    }
}
