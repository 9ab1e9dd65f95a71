namespace Rewind.Bench;

/// <summary>The command line of the benchmark harness.</summary>
internal sealed record BenchOptions(int Runs, bool NativeOnly, int SizeMb, string? Rewind, IReadOnlyList<string> Only)
{
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(Runs: 3, NativeOnly: false, SizeMb: 50, Rewind: null, Only: []);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--runs" => o with { Runs = Math.Max(1, int.Parse(Next())) },
                "--native-only" => o with { NativeOnly = true },
                "--size-mb" => o with { SizeMb = Math.Max(1, int.Parse(Next())) },
                "--rewind" => o with { Rewind = Next() },
                "--only" => o with { Only = Next().Split(',') },
                _ => throw new ArgumentException($"unknown option {args[i]} (--runs N, --native-only, --size-mb N, --rewind PATH, --only NAME,NAME)"),
            };
        }
        return o;
    }
}
