// A worker thread describes an order twice and adds to it twice (printing between each two), then
// throws three calls deep, and nothing catches it: the process ends with the runtime's abort, the
// exception in flight on the worker. The tests find the lines by their "// line:" markers, so
// edits here move no test.
using System.Runtime.CompilerServices;

namespace WorkerException;

public static class Program
{
    public static void Main()
    {
        // A name longer than the kernel's 15-byte comm: only the runtime knows it whole.
        var worker = new Thread(() => Orders.Process(3)) { Name = "order worker thread #1" }; // line: start
        worker.Start();
        worker.Join(); // line: join
    }
}

public static class Orders
{
    public static void Process(int count)
    {
        var order = new Order("order");
        var audit = new Order("audit");
        Console.WriteLine(order.Describe(1, "first look", audit)); // line: first describe
        Console.WriteLine(order.Describe(2, "second look", audit)); // line: second describe
        order.Add(count); // line: first add
        Console.WriteLine($"after the first add: {order.Total}");
        order.Add(count * 6); // line: second add
        Validate(order.Total, order.Kind); // line: process
    }

    private static void Validate(int total, string kind)
    {
        if (total > 20)
        {
            throw new InvalidOperationException($"{kind} total {total} is over the limit", new ArgumentOutOfRangeException(nameof(total))); // line: throw
        }
    }
}

public sealed class Order(string kind)
{
    public string Kind { get; } = kind;

    public int Total { get; private set; }

    // Called twice: a breakpoint in it hits the second time with this, an int, a string and an
    // object argument, and locals of six kinds.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public string Describe(int copies, string note, Order other)
    {
        int units = Total + copies * 10;
        double share = units / 4.0;
        var split = new Split(copies, share);
        var size = copies > 1 ? Size.Large : Size.Small;
        char mark = note[0];
        string label = $"{note}: {Kind} x{copies}";
        return $"{label} ({units} units, {split.Each} each, {size}, mark {mark}, not {other.Kind})"; // line: describe
    }

    // Called twice: a breakpoint here hits twice, with Total 0, then 3.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Add(int amount)
    {
        Total += amount; // line: add
    }
}

// A struct: a local of this type lies in its frame, field by field.
public readonly record struct Split(int Copies, double Each);

public enum Size
{
    Small,
    Large,
}
