using Rewind.Bench;

// rewind-bench [--runs N] [--native-only] [--size-mb N] [--rewind PATH] [--only NAME,NAME]
// Prints the machine, the raw ptrace stop cost and a markdown table of native, record
// and replay times for each workload.
try
{
    BenchOptions options = BenchOptions.Parse(args);
    return new BenchRun(options).Run();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"rewind-bench: {e.Message}");
    return 2;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"rewind-bench: {e.Message}");
    return 1;
}
