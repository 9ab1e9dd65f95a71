// A worker thread adds to an order twice (printing between the two), then throws three calls deep, and nothing catches it:
// the process ends with the runtime's abort, the exception in flight on the worker. The tests
// find the lines by their "// line:" markers, so edits here move no test.
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

    // Called twice: a breakpoint here hits twice, with Total 0, then 3.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Add(int amount)
    {
        Total += amount; // line: add
    }
}
