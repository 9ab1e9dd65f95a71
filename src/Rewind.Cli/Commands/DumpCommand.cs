using Rewind.Cli.Dump;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>`rewind dump`: the events of a trace, one a line, as strace prints syscalls; or one JSON object a line.</summary>
internal sealed class DumpCommand : ICommand
{
    public string Name => "dump";

    public string Usage => "dump [--json] [TRACE]";

    public string Summary => "Print the recorded events, one a line, as strace prints syscalls.";

    public string Help => """
        A header line (starting with #), then one line per event: its index (for
        `monitor goto-event N` in gdb), its time in seconds, its thread, and what it was:
          42   0.080341 [tid 1234] openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
        Syscalls are shown as strace shows them: paths as strings, flags by name, the data a
        read returned (its first 32 bytes), errors as -1 ENOENT (No such file or directory);
        signals and the exit as strace's --- and +++ lines. Traces recorded before format 3
        hold no path strings: their paths show as pointers.

        options:
          --json   one JSON object per event and line, for tools: index, time, tid, kind, and
                   for a syscall name, number, args (raw), decoded, paths, result, error
        TRACE defaults to the latest recording.

        example:
          rewind dump sort.rwd | grep openat
        """;

    public int Run(Arguments args)
    {
        bool json = args.Flag("--json");
        var positionals = args.Positionals(1);
        string path = TracePaths.Resolve(positionals.Count > 0 ? positionals[0] : null);
        using var trace = TraceFile.Open(path);
        // Millions of lines: one buffered stream, events read as they come.
        using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        if (json)
        {
            using var writer = new EventJson(stdout);
            foreach (var (index, e) in trace.Events())
            {
                writer.Write(index, e);
            }
        }
        else
        {
            using var text = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1 << 16);
            text.WriteLine($"# {path}: {string.Join(' ', trace.Header.CommandLine)} (pid {trace.ProcessId}, {trace.Summary.EventCount:N0} events, format {trace.Header.FormatVersion})");
            foreach (var (index, e) in trace.Events())
            {
                text.Write(index.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(8));
                text.Write((e.Time / 1e6).ToString(" 0.000000", System.Globalization.CultureInfo.InvariantCulture).PadLeft(12));
                text.Write(" [tid ");
                text.Write(e.Tid.Value);
                text.Write("] ");
                text.WriteLine(EventText.Describe(e));
            }
        }
        if (trace.RecoveryNote != null)
        {
            Console.Error.WriteLine($"rewind: {trace.RecoveryNote}");
        }
        return 0;
    }
}
