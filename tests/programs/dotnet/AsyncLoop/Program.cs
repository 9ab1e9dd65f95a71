// An async Main awaits a Task.Run worker that raises an account's balance five times, yielding
// the thread between each two raises, then an audit a few async calls deep that throws; nothing
// catches it, so Main's task faults and the runtime aborts. The tests find the lines by their
// "// line:" markers.
namespace AsyncLoop;

public static class Program
{
    public static async Task Main()
    {
        var account = new Account("savings");
        await Task.Run(() => Deposits.Make(account, 5)); // line: run
        await Audit.Check(account); // line: audit
    }
}

public sealed class Account(string owner)
{
    public string Owner { get; } = owner;

    public int Balance;
}

public static class Deposits
{
    // Each raise after the first runs in a new call of the state machine's MoveNext, on whichever
    // pool thread the yield resumed on.
    public static async Task Make(Account account, int count)
    {
        for (int step = 1; step <= count; step++) // line: loop
        {
            account.Balance += step * 10; // line: deposit
            await Task.Yield(); // line: yield
        }
    }
}

public static class Audit
{
    public static async Task Check(Account account)
    {
        await Task.Yield();
        await Verify(account.Balance, account.Owner); // line: verify
    }

    private static async Task Verify(int balance, string owner)
    {
        await Task.Delay(1);
        if (balance > 100)
        {
            throw new InvalidOperationException($"{owner} balance {balance} is over the limit"); // line: throw
        }
    }
}
