using System.Text.Json;
using System.Text.Json.Serialization;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind ps`: the processes a trace recorded, like rr ps.</summary>
internal sealed class PsCommand : ICommand
{
    public string Name => "ps";

    public string Usage => "ps [--json] [TRACE]";

    public string Summary => "List the processes of a trace: pid, parent, exit, events and the command line each last ran.";

    public string Help => """
        options:
          --json   one JSON array, for tools
        TRACE defaults to the latest recording. The pids are those of the recording; a trace
        recorded with --no-children lists its first process alone. EXIT is the exit status or
        the signal that ended it, '-' if the trace ends first, 'left' if it did what Rewind
        cannot record and ran on unrecorded from there (--json says why).

        example:
          rewind ps make.rwd
        """;

    public int Run(Arguments args)
    {
        bool json = args.Flag("--json");
        var positionals = args.Positionals(1);
        string path = TracePaths.Resolve(positionals.Count > 0 ? positionals[0] : null);
        using var trace = TraceFile.Open(path);
        var processes = ProgramProcess.ListOf(trace)
            .Select(p => new ProcessEntry(p.Pid, p.Parent, p.CommandLine, ExitInfo.Of(p.Exit), p.Left, p.Events, p.FirstEvent)).ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize<IReadOnlyList<ProcessEntry>>(processes, CliJsonContext.Readable.IReadOnlyListProcessEntry));
            return 0;
        }
        Console.WriteLine($"{"PID",-8}{"PPID",-8}{"EXIT",-9}{"EVENTS",9}  CMD");
        foreach (var p in processes)
        {
            string exit = p.Exit switch
            {
                null when p.Left != null => "left",
                null => "-",
                { Name: { } signal } => signal,
                { Code: var code } => $"{code}",
            };
            Console.WriteLine($"{p.Pid,-8}{(p.Parent is { } parent ? $"{parent}" : "-"),-8}{exit,-9}{p.Events,9:N0}  {string.Join(' ', p.CommandLine)}");
        }
        return 0;
    }
}

/// <summary>One line of <c>rewind ps</c>: a process of the trace, by its recorded pid.</summary>
internal sealed record ProcessEntry(
    int Pid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Parent,
    IReadOnlyList<string> CommandLine,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExitInfo? Exit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Left,
    long Events,
    long FirstEvent);
