// A .NET job for `rewind hibernate`: a counter that JITs new code as it goes, so a resumed run
// does too, writing it through the JIT's read-write view of its memfd and running it through the
// executable one. Every 15 steps a generic method is instantiated over a value type not used
// before (each its own code), from step 100 a lambda and a method never called before run, and
// each step collects garbage (the runtime suspends its threads with membarrier for it).
using System.Numerics;

namespace LiveJit;

public static class Program
{
    public static void Main()
    {
        var digest = new Digest();
        for (int step = 0; step < 150; step++)
        {
            long value = (step / 15) switch
            {
                0 => Twice<byte>((byte)step),
                1 => Twice<short>((short)step),
                2 => Twice<int>(step),
                3 => Twice<long>(step),
                4 => Twice<float>(step),
                5 => Twice<double>(step),
                6 => Twice<decimal>(step),
                7 => Twice<ushort>((ushort)step),
                8 => Twice<uint>((uint)step),
                _ => Twice<ulong>((ulong)step),
            };
            if (step >= 100)
            {
                Func<long, long> late = v => v + Late(step);
                value = late(value);
            }
            digest.Add(value);
            GC.Collect();
            Console.WriteLine($"step {step} value {value}");
            Thread.Sleep(20);
        }
        Console.WriteLine($"digest {digest.Value}");
    }

    private static long Twice<T>(T v) where T : INumber<T> => long.CreateTruncating(v + v);

    private static long Late(int step) => step * 1000L;
}

internal sealed class Digest
{
    public long Value { get; private set; } = 17;

    public void Add(long v) => Value = unchecked(Value * 31 + v);
}
