using System.Diagnostics;
using Rewind.Symbols.Dwarf;

namespace Rewind.Symbols.Bench;

/// <summary>Timing helpers and the few internals the benchmark reaches for.</summary>
internal static class Bench
{
    public static string DefaultBinary()
    {
        // glibc's separate debug file when libc6-dbg is installed, else the running libc.
        var debug = Directory.Exists("/usr/lib/debug/.build-id")
            ? Directory.EnumerateFiles("/usr/lib/debug/.build-id", "*.debug", SearchOption.AllDirectories).MaxBy(f => new FileInfo(f).Length)
            : null;
        return debug ?? "/lib/x86_64-linux-gnu/libc.so.6";
    }

    public static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }

    public static T Time<T>(string what, Func<T> work)
    {
        var sw = Stopwatch.StartNew();
        var result = work();
        Console.WriteLine($"{what,-40} {sw.Elapsed.TotalMilliseconds,10:F1} ms");
        return result;
    }

    public static void Latency<T>(string what, IReadOnlyList<T> inputs, Func<T, object?> lookup)
    {
        // A first pass warms caches built on first use (per-file indexes, unit DIE trees).
        var warm = Stopwatch.StartNew();
        foreach (var i in inputs)
            lookup(i);
        Console.WriteLine($"{what + " (first pass)",-40} {warm.Elapsed.TotalMicroseconds / inputs.Count,10:F2} µs per lookup");
        var sw = Stopwatch.StartNew();
        foreach (var i in inputs)
            lookup(i);
        double us = sw.Elapsed.TotalMicroseconds / inputs.Count;
        Console.WriteLine($"{what,-40} {us,10:F2} µs per lookup ({inputs.Count} lookups)");
    }

    public static int UnitCount(Module module) => module.Dwarf?.Units.Count ?? 0;

    public static ulong[] LineEntries(Module module)
    {
        var lines = module.Lines;
        if (lines is null)
            return [];
        var result = new List<ulong>();
        foreach (var e in lines.Entries)
            if (!e.IsEnd)
                result.Add(e.Address);
        return [.. result];
    }

    public static int DecodeLinePrograms(Module module)
    {
        int rows = 0;
        foreach (var unit in module.Dwarf?.Units ?? [])
        {
            var root = unit.Header;
            if (root.Find(DwAt.StmtList) is { } stmt)
                rows += LineTable.Parse(unit.Info.Sections, stmt.Value, unit.String(root, DwAt.CompDir), root.Name).Rows.Count;
        }
        return rows;
    }

    public static int ParseAll(Module module)
    {
        int count = 0;
        foreach (var unit in module.Dwarf?.Units ?? [])
        {
            var stack = new Stack<Die>();
            stack.Push(unit.Root);
            while (stack.Count > 0)
            {
                var d = stack.Pop();
                count++;
                foreach (var c in d.Children)
                    stack.Push(c);
            }
        }
        return count;
    }
}
