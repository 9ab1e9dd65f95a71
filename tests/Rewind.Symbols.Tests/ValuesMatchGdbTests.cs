using Rewind.Symbols.Tests.Support;

namespace Rewind.Symbols.Tests;

/// <summary>
/// What the DAP variables view shows: type names equal gdb's "whatis", and the children of
/// structs, arrays and pointers (read lazily) equal gdb's "print" of the same expression.
/// </summary>
public sealed class ValuesMatchGdbTests
{
    // (path through Children by name, gdb expression)
    private static readonly (string[] Path, string Expression)[] Expansions =
    [
        (["rec", "*rec"], "*rec"),
        (["rec", "*rec", "corners"], "rec->corners"),
        (["rec", "*rec", "corners", "[1]"], "rec->corners[1]"),
        (["rec", "*rec", "corners", "[1]", "x"], "rec->corners[1].x"),
        (["rec", "*rec", "bits"], "rec->bits"),
        (["rec", "*rec", "bits", "delta"], "rec->bits.delta"),
        (["rec", "*rec", "bits", "rest"], "rec->bits.rest"),
        (["rec", "*rec", "grid", "[1]"], "rec->grid[1]"),
        (["rec", "*rec", "grid", "[1]", "[2]"], "rec->grid[1][2]"),
        (["rec", "*rec", "num"], "rec->num"),
        (["rec", "*rec", "num", "bytes"], "rec->num.bytes"),
        (["rec", "*rec", "name"], "rec->name"),
        (["rec", "*rec", "name", "[0]"], "rec->name[0]"),
        (["rec", "*rec", "ratio"], "rec->ratio"),
        (["rec", "*rec", "weight"], "rec->weight"),
        (["rec", "*rec", "tiny"], "rec->tiny"),
        (["rec", "*rec", "byte"], "rec->byte"),
        (["rec", "*rec", "active"], "rec->active"),
        (["rec", "*rec", "color"], "rec->color"),
        (["rec", "*rec", "list", "*list"], "*rec->list"),
        (["head", "*head", "next", "*next"], "*head->next"),
        (["head", "*head", "next", "*next", "name"], "head->next->name"),
        (["small", "[3]"], "small[3]"),
        (["origin", "y"], "origin.y"),
        (["n", "f"], "n.f"),
    ];

    private static readonly string[] Names = ["rec", "head", "c", "count", "fn", "counter", "pi", "zeros", "small", "origin", "both", "text", "quoted", "nothing", "n", "total"];

    [GdbTheory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Children_and_types(string compiler)
    {
        if (compiler == "clang" && !Toolchain.Has("clang"))
            return; // clang is optional; the gcc case covers the code
        string binary = Toolchain.Build("types", compiler, "-O0");
        var commands = Names.Select(n => $"whatis {n}").Concat(Expansions.Select(e => $"output {e.Expression}")).ToList();
        var (outputs, corePath) = GdbRunner.RunCommands(binary, $"types.c:{Toolchain.MarkerLine("types", "inspect")}", commands);

        var core = new CoreFile(corePath);
        var symbols = SymbolTable.Load(core.Map);
        var frame = symbols.Unwind(core.Registers, core)[0];
        var scopes = symbols.Scopes(frame, core);
        var all = scopes.Parameters.Concat(scopes.Locals).ToDictionary(v => v.Name);

        for (int i = 0; i < Names.Length; i++)
            Assert.Equal(outputs[i], $"type = {all[Names[i]].TypeName}");
        for (int i = 0; i < Expansions.Length; i++)
        {
            var (path, expression) = Expansions[i];
            var v = all[path[0]];
            foreach (var step in path.Skip(1))
            {
                Assert.True(v.HasChildren, $"{v.Name} has no children");
                v = v.Children.Single(c => c.Name == step);
            }
            Assert.True(outputs[Names.Length + i] == v.Value, $"{expression}: gdb {outputs[Names.Length + i]}, rewind {v.Value}");
        }
    }

    private static readonly string[] Globals = ["counter", "total", "greeting", "settings", "table", "buffer", "current", "counter_ptr"];

    [GdbTheory]
    [InlineData("gcc", "-O0")]
    [InlineData("gcc", "-O2")]
    [InlineData("clang", "-O0")]
    public void Globals_of_the_unit(string compiler, string optimization)
    {
        if (compiler == "clang" && !Toolchain.Has("clang"))
            return; // clang is optional; the gcc cases cover the code
        string binary = Toolchain.Build("globals", compiler, optimization);
        var (outputs, corePath) = GdbRunner.RunCommands(binary, $"globals.c:{Toolchain.MarkerLine("globals", "use_globals")}",
            Globals.Select(g => $"output {g}").ToList());
        var core = new CoreFile(corePath);
        var symbols = SymbolTable.Load(core.Map);
        var frame = symbols.Unwind(core.Registers, core)[0];
        var globals = symbols.Scopes(frame, core).Globals.ToDictionary(v => v.Name);
        for (int i = 0; i < Globals.Length; i++)
        {
            Assert.True(globals.TryGetValue(Globals[i], out var v), $"no global {Globals[i]}");
            // "output" prefixes a top-level pointer (not char *) with its type, as "print" does.
            string gdb = outputs[i], prefix = $"({v.TypeName}) ";
            if (gdb.StartsWith(prefix, StringComparison.Ordinal))
                gdb = gdb[prefix.Length..];
            Assert.True(gdb == v.Value, $"{Globals[i]}: gdb {outputs[i]}, rewind {v.Value}");
        }
    }
}
