using Rewind.Cpu;
using Rewind.Recording;
using Rewind.Symbols.Dotnet;

namespace Rewind.Cli.Commands;

/// <summary>`rewind record`: runs a program as without rewind, logging it into a trace.</summary>
internal sealed class RecordCommand : ICommand
{
    public string Name => "record";

    public string Usage => "record [-o TRACE [--force]] [--checkpoint-interval SECONDS] [--no-children] [--cpu host|baseline] -- PROGRAM [ARGS...]";

    public string Summary => "Run PROGRAM once under recording; its exit status is the program's.";

    public string Help => """
        options:
          -o, --output TRACE             where the trace goes; default: a new file in the
                                         traces directory (rewind --help), then linked as 'latest'.
                                         An existing file is replaced only if it is a trace
          --force                        replace TRACE even if it is not a trace
          --checkpoint-interval SECONDS  run time between checkpoints (default 5; 0: only the one
                                         at the start); more make seeking faster, the trace bigger
          --no-children                  record only PROGRAM's own process: the processes it
                                         starts run unrecorded (faster), and only what they write
                                         to its stdout and stderr is kept; they cannot be debugged
          --cpu host|baseline            the CPU the program is shown where this machine's CPU has
                                         CPUID faulting (most Intel CPUs): host (default) is this
                                         one without rdrand, rdseed and transactional memory;
                                         baseline is an x86-64-v3 CPU, so that the trace replays on
                                         any x86-64-v3 machine. Without faulting (AMD CPUs) the
                                         program reads the CPU itself and baseline is refused
        Every process PROGRAM starts is recorded otherwise (rewind ps lists them).
        Everything after -- is the program and its arguments, as given to a shell.
        Mapped files of 1 MiB or more are kept in ~/.cache/rewind/files for the next recording
        (at most 2 GiB; REWIND_CACHE=DIR puts them elsewhere, REWIND_CACHE=off keeps none).

        example:
          rewind record -o sort.rwd -- sort --parallel=2 big.txt
        """;

    public int Run(Arguments args)
    {
        var program = args.AfterSeparator();
        string? output = args.Option("--output", "-o");
        bool force = args.Flag("--force");
        var interval = CheckpointInterval(args.Option("--checkpoint-interval"));
        bool onlyRoot = args.Flag("--no-children");
        var cpu = ShownCpu(args.Option("--cpu"));
        var rest = args.Positionals(int.MaxValue);
        if (program.Count == 0)
        {
            // "rewind record ./app args" without "--" is accepted as well.
            program = rest;
        }
        else if (rest.Count > 0)
        {
            throw new UsageException($"unexpected argument {rest[0]} before --");
        }
        if (program.Count == 0)
        {
            throw new UsageException("no program given");
        }
        ProgramLookup.Resolve(program[0], Environment.GetEnvironmentVariable("PATH"));
        bool defaultLocation = output == null;
        if (output != null)
        {
            TracePaths.CheckOutput(output, force);
        }
        string trace = output ?? TracePaths.NewTrace(program[0]);
        if (defaultLocation)
        {
            // Said once, before the program's own output, like rr's "Saving execution to trace directory".
            Console.Error.WriteLine($"rewind: saving the recording to {trace}");
        }

        // In the order the program would get it without rewind (the runtime's view has none).
        var environment = File.ReadAllText("/proc/self/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        var options = new RecordOptions(program[0], program.Skip(1).ToList(), environment, Environment.CurrentDirectory, trace)
        {
            CheckpointInterval = interval,
            RecordChildren = !onlyRoot,
            Cpu = cpu,
            DebugFiles = new DotnetDebugFiles(),
        };

        var result = TracerThread.Run(() => RecordSession.Record(options,
            p => Progress.Show($"rewind: recording {p.Elapsed:m\\:ss} · {p.Events:N0} events · {Progress.Bytes(p.TraceBytes)}"),
            notice =>
            {
                Progress.Clear();
                Console.Error.WriteLine($"rewind: {notice}");
            }));
        Progress.Clear();
        foreach (string note in result.Notes)
        {
            Console.Error.WriteLine($"rewind: {note}");
        }
        if (defaultLocation)
        {
            TracePaths.PointLatestAt(trace);
        }
        if (result.Error != null)
        {
            // The program ran on unrecorded to its end: its status is still the user's.
            int status = CommandLine.Fail($"{result.Error}; the trace {trace} holds the run up to that point ({result.Events:N0} events), and the program ran on unrecorded", 1);
            return result.Exit is { } ended ? CommandLine.ReportExit(ended) : status;
        }
        if (!Console.IsErrorRedirected || Environment.GetEnvironmentVariable("REWIND_VERBOSE") == "1")
        {
            Console.Error.WriteLine($"rewind: recorded {result.Events:N0} events into {trace} ({Progress.Bytes(result.TraceBytes)})");
        }
        return CommandLine.ReportExit(result.Exit!.Value);
    }

    private static CpuidTrap ShownCpu(string? value) => value switch
    {
        null or "host" => CpuidTrap.Host,
        "baseline" => CpuidTrap.Baseline,
        _ => throw new UsageException($"--cpu takes host or baseline, not '{value}'"),
    };

    /// <summary>Seconds of run time between checkpoints (fractions allowed); 0 keeps only the one at exec.</summary>
    private static TimeSpan CheckpointInterval(string? value)
    {
        if (value == null)
        {
            return RecordOptions.DefaultCheckpointInterval;
        }
        return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
            && seconds >= 0 && seconds <= 1e6
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--checkpoint-interval takes a number of seconds (0 for none), not '{value}'");
    }
}
