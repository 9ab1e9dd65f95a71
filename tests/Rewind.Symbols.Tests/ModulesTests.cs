using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>Modules from a memory map: load bias, separate debug files, files served by a trace.</summary>
public sealed class ModulesTests
{
    [Fact]
    public void Maps_line_parses()
    {
        var e = MemoryMapEntry.Parse("7ffff7dfa000-7ffff7f50000 r-xp 00026000 fe:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6");
        Assert.Equal(0x7ffff7dfa000ul, e.Start.Value);
        Assert.Equal(0x7ffff7f50000ul, e.End.Value);
        Assert.Equal(0x26000ul, e.FileOffset);
        Assert.True(e.IsExecutable);
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libc.so.6", e.Path);
        Assert.Equal("", MemoryMapEntry.Parse("7ffff7fa9000-7ffff7fb6000 rw-p 00000000 00:00 0").Path);
        Assert.Throws<FormatException>(() => MemoryMapEntry.Parse("garbage"));
    }

    [Fact]
    public void Own_process_loads_without_errors()
    {
        // The test host maps the .NET runtime, libc and many more: every one must open cleanly.
        var map = File.ReadLines("/proc/self/maps").Select(MemoryMapEntry.Parse).ToList();
        var symbols = SymbolTable.Load(map);
        Assert.Contains(symbols.Modules, m => Path.GetFileName(m.Path).StartsWith("libc.so", StringComparison.Ordinal));
        var libc = symbols.Modules.First(m => Path.GetFileName(m.Path).StartsWith("libc.so", StringComparison.Ordinal));
        var qsort = libc.FunctionsNamed("qsort");
        Assert.Single(qsort);
        Assert.True(libc.Contains(qsort[0].Start), "load bias puts qsort inside libc's mapping");
        Assert.Equal(qsort[0].Start.Value, libc.LoadBias + libc.Elf.Symbols.First(s => s.Name == "qsort").Value);
        Assert.All(symbols.Errors, e => Assert.DoesNotContain("bad", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Separate_debug_file_is_found_by_build_id()
    {
        var libc = File.ReadLines("/proc/self/maps").Select(MemoryMapEntry.Parse)
            .FirstOrDefault(e => Path.GetFileName(e.Path).StartsWith("libc.so", StringComparison.Ordinal));
        Assert.NotNull(libc);
        var module = SymbolTable.Load([libc]).Modules.Single();
        string? id = module.BuildId;
        Assert.NotNull(id);
        string debug = $"/usr/lib/debug/.build-id/{id[..2]}/{id[2..]}.debug";
        if (!File.Exists(debug))
        {
            Assert.Null(module.DebugElf); // no libc6-dbg here: symbols and CFI only
            return;
        }
        Assert.Equal(debug, module.DebugElf?.Name);
        Assert.True(module.HasDebugInfo);
        var qsort = module.FunctionsNamed("qsort").Single();
        Assert.Equal("msort.c", module.LineFor(qsort.Start)?.FileName); // glibc defines qsort in stdlib/msort.c
    }

    [Fact]
    public void Files_come_from_the_given_opener()
    {
        // A replay serves the recorded bytes under the recorded path; nothing is read from disk.
        var bytes = ElfBuilder.Build((".text", new byte[16]));
        var opened = new List<string>();
        var map = new[] { new MemoryMapEntry(new RemotePtr(0x40_0000), new RemotePtr(0x40_1000), 0, "r-xp", "/recorded/app") };
        var symbols = SymbolTable.Load(map, p =>
        {
            opened.Add(p);
            return p == "/recorded/app" ? new MemoryStream(bytes) : null;
        });
        Assert.Equal("/recorded/app", symbols.Modules.Single().Path);
        Assert.Contains("/recorded/app", opened);
        Assert.Empty(symbols.Errors);
    }

    [Fact]
    public void Missing_file_is_an_error_line_not_an_exception()
    {
        var map = new[] { new MemoryMapEntry(new RemotePtr(0x40_0000), new RemotePtr(0x40_1000), 0, "r-xp", "/nonexistent/app") };
        var symbols = SymbolTable.Load(map);
        Assert.Empty(symbols.Modules);
        Assert.Equal(["/nonexistent/app: file not found"], symbols.Errors);
    }
}
