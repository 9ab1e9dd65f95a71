using System.Text.Json;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind info`: what a trace holds.</summary>
internal sealed class InfoCommand : ICommand
{
    public string Name => "info";

    public string Usage => "info [--json] [TRACE]";

    public string Summary => "Show the command line, machine, events, duration, checkpoints, files opened and mapped, and sizes of a trace.";

    public string Help => """
        options:
          --json   one JSON object, for tools
        TRACE defaults to the latest recording.

        example:
          rewind info sort.rwd
        """;

    public int Run(Arguments args)
    {
        bool json = args.Flag("--json");
        var positionals = args.Positionals(1);
        string path = TracePaths.Resolve(positionals.Count > 0 ? positionals[0] : null);
        using var trace = TraceFile.Open(path);
        var info = TraceInfo.Of(path, trace);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(info, CliJsonContext.Readable.TraceInfo));
            return 0;
        }
        var o = Console.Out;
        var s = trace.Summary;
        o.WriteLine($"trace:       {path}");
        o.WriteLine($"command:     {string.Join(' ', info.CommandLine.Select(Quote))}");
        o.WriteLine($"directory:   {info.WorkingDirectory}");
        o.WriteLine($"recorded:    {info.RecordedUtc:u} with Rewind {info.RewindVersion} (format {info.FormatVersion})");
        o.WriteLine($"machine:     {info.Hostname}, Linux {info.Kernel}, {info.Cpu}");
        if (info.Processor.Signature is { } signature)
        {
            o.WriteLine($"cpu:         {signature}");
        }
        o.WriteLine($"features:    {string.Join(' ', info.Processor.Features)} (from {info.Processor.FeaturesFrom})");
        o.WriteLine($"cpuid:       {info.Processor.Trap}");
        o.WriteLine($"events:      {s.EventCount:N0}");
        o.WriteLine($"duration:    {s.DurationMicros / 1e6:0.000} s");
        o.WriteLine($"ended:       {info.Ended}");
        if (info.Timers is { } timers)
        {
            o.WriteLine($"timers:      {timers.Count}");
            foreach (string timer in timers)
            {
                o.WriteLine($"  {timer}");
            }
        }
        o.WriteLine($"size:        {Progress.Bytes(info.RawBytes)} raw, {Progress.Bytes(info.FileBytes)} compressed ({(info.RawBytes == 0 ? 0 : 100.0 * info.FileBytes / info.RawBytes):0}%)");
        o.WriteLine($"checkpoints: {s.Checkpoints.Count}");
        foreach (var c in s.Checkpoints)
        {
            string stored = (c.Base is { } b ? $"{Progress.Bytes(c.StoredBytes)} over #{b}" : $"{Progress.Bytes(c.StoredBytes)} full")
                + (c.Process is not { } process ? "" : c.With is { } start ? $", process {process} of #{start}" : $", process {process} alone: its exec");
            o.WriteLine($"  #{c.Index,-3} event {c.EventIndex,-10:N0} at {c.TimeMicros / 1e6,8:0.000} s  {stored}");
        }
        if (info.Opened is { } opened)
        {
            o.WriteLine($"opened:      {opened.Count}");
            foreach (var f in opened)
            {
                o.WriteLine($"  {f.Path} ({f.Access}{(f.Opens > 1 ? $", {f.Opens} times" : "")})");
            }
        }
        else
        {
            o.WriteLine("opened:      unknown (this trace's format holds no paths; recorded before format 3)");
        }
        o.WriteLine($"files:       {s.Files.Count} mapped, stored in the trace");
        foreach (var f in s.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            o.WriteLine($"  {f.Path} ({Progress.Bytes(f.Size)})");
        }
        if (info.DebugFiles.Count > 0)
        {
            o.WriteLine($"debug files: {info.DebugFiles.Count} kept for debuggers (the program did not map them)");
            foreach (var f in info.DebugFiles)
            {
                o.WriteLine($"  {f.Path} ({Progress.Bytes(f.Size)})");
            }
        }
        return 0;
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
