// Work on the thread pool with Task.Run, awaited together, then a timer's await.
long[] sums = await Task.WhenAll(Enumerable.Range(0, 4).Select(k => Task.Run(() =>
{
    long sum = 0;
    for (int j = 0; j < 5_000_000; j++)
    {
        sum += (j ^ k) % 7;
    }
    return sum;
})));
await Task.Delay(20);
Console.WriteLine($"sums {string.Join(' ', sums)}, total {sums.Sum()}");
