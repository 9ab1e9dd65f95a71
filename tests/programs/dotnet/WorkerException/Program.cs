// A worker thread throws three calls deep, and nothing catches it: the process ends with the
// runtime's abort, the exception in flight on the worker. The tests find the lines by their
// "// line:" markers, so edits here move no test.
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
    public static void Process(int count) => Validate(count * 7, "order"); // line: process

    private static void Validate(int total, string kind)
    {
        if (total > 20)
        {
            throw new InvalidOperationException($"{kind} total {total} is over the limit", new ArgumentOutOfRangeException(nameof(total))); // line: throw
        }
    }
}
