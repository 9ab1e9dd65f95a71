using System.Diagnostics;
using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests.Bounds;

/// <summary>
/// A real binary with random bytes of its debug sections overwritten: every lookup a debugger
/// makes either works or throws <see cref="DebugInfoException"/>; nothing else escapes, and
/// nothing hangs.
/// </summary>
public sealed class CorruptedBinaryTests
{
    [GdbTheory]
    [InlineData(".debug_info", "gcc")]
    [InlineData(".debug_abbrev", "gcc")]
    [InlineData(".debug_line", "gcc")]
    [InlineData(".debug_loclists", "gcc")]
    [InlineData(".debug_rnglists", "gcc")]
    [InlineData(".eh_frame", "gcc")]
    [InlineData(".debug_str", "gcc")]
    [InlineData(".debug_info", "clang")]
    [InlineData(".debug_str_offsets", "clang")]
    [InlineData(".debug_addr", "clang")]
    [InlineData(".debug_line", "clang")]
    public void Random_corruption_gives_clean_errors(string section, string compiler)
    {
        if (compiler == "clang" && !Toolchain.Has("clang"))
            return; // clang is optional; the gcc cases cover the same code
        string binary = Toolchain.Build("types", compiler, "-O2");
        var stop = GdbRunner.RunToStops(binary, [$"types.c:{Toolchain.MarkerLine("types", "inspect")}"], 1)[0];
        var core = new CoreFile(stop.CorePath);
        var original = File.ReadAllBytes(binary);
        var header = ElfFile.Parse(original, binary).FindSection(section);
        Assert.NotNull(header);
        var random = new Random(section.Length * 7919 + section[^1]);
        // Other modules (libc and its debug file) are read once; only the binary is corrupted.
        var baseline = SymbolTable.Load(core.Map);
        var good = baseline.Modules.Single(m => m.Path == binary);
        var others = baseline.Modules.Where(m => m.Path != binary).ToList();
        var clock = Stopwatch.StartNew();
        int errors = 0;
        // REWIND_FUZZ_ROUNDS raises the count for a longer local run.
        int rounds = int.TryParse(Environment.GetEnvironmentVariable("REWIND_FUZZ_ROUNDS"), out int r) ? r : 40;
        for (int round = 0; round < rounds; round++)
        {
            var bytes = (byte[])original.Clone();
            int flips = 1 + random.Next(8);
            for (int f = 0; f < flips; f++)
            {
                int at = (int)header.FileOffset + random.Next((int)header.Size);
                bytes[at] = random.Next(4) == 0 ? (byte)0xff : (byte)random.Next(256);
            }
            try
            {
                var symbols = new SymbolTable([.. others, Module.Load(binary, good.Start, good.End, good.LoadBias, _ => new MemoryStream(bytes), "/nonexistent")]);
                foreach (var frame in symbols.Unwind(core.Registers, core))
                {
                    _ = frame.Line?.Line;
                    var scopes = symbols.Scopes(frame, core);
                    foreach (var v in scopes.Parameters.Concat(scopes.Locals).Concat(scopes.Globals))
                    {
                        _ = v.TypeName;
                        foreach (var c in v.Children.Take(20))
                            _ = c.Children.Count;
                    }
                }
                var main = symbols.FunctionBreakpoints("main");
                if (main.Count > 0)
                    _ = symbols.LineRangeAt(main[0]);
                _ = symbols.AddressesFor("types.c", 58);
            }
            catch (DebugInfoException)
            {
                errors++;
            }
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5 * rounds), $"{rounds} corrupted loads took {clock.Elapsed}");
    }
}
