using System.Runtime.CompilerServices;

namespace TieredLoop;

// A method called often enough for the tiered JIT to replace its code: Step runs its tier-0 code
// first; after 30 calls the JIT's background worker compiles it again with instrumentation
// (dynamic PGO), then, after 30 more, at tier 1 (docs/dotnet.md, "C# line breakpoints"). The
// short sleeps leave that worker time to finish long before the last call. Spin, called once,
// runs its loop long enough for the JIT to compile the loop again while it runs (on-stack
// replacement) and jump into that code.
public static class Program
{
    private const int Calls = 200;

    public static int Main()
    {
        int total = 0;
        for (int i = 0; i < Calls; i++)
        {
            total += Step(i);
            Thread.Sleep(1);
        }
        Console.WriteLine($"total {total}, spun {Spin()}"); // line: spun
        return 0; // line: return
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Step(int iteration)
    {
        Console.WriteLine($"call {iteration}"); // line: step
        return iteration % 7;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Spin()
    {
        int sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            sum += i % 7; // line: spin
        }
        return sum; // line: sum
    }
}
