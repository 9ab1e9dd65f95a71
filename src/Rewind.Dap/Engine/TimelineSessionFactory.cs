using Rewind.Dap.Session;
using Rewind.Recording;
using Rewind.Symbols.Dotnet;

namespace Rewind.Dap.Engine;

/// <summary>Opens replay sessions for `rewind dap`: a trace, or a program recorded first.</summary>
public sealed class TimelineSessionFactory : IDebugSessionFactory
{
    public IDebugSession OpenTrace(string tracePath, IDebugEventSink events, int? pid = null) => TimelineSession.Open(tracePath, events, pid);

    public IDebugSession RecordAndOpen(Session.RecordOptions options, IDebugEventSink events)
    {
        string cwd = options.WorkingDirectory ?? Environment.CurrentDirectory;
        string program = options.Program.Contains('/') ? Path.GetFullPath(Path.Combine(cwd, options.Program)) : options.Program;
        ProgramLookup.Resolve(program, Environment.GetEnvironmentVariable("PATH"));
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }
        string dir = Path.Combine(Path.GetTempPath(), "rewind-dap");
        Directory.CreateDirectory(dir);
        string trace = Path.Combine(dir, $"{Path.GetFileName(program)}-{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}.rwd");
        events.Output(OutputKind.Console, $"rewind: recording {program} into {trace}\n");
        var result = TracerThread.Run(() => RecordSession.Record(new Recording.RecordOptions(
            program, options.Arguments, environment.Select(e => $"{e.Key}={e.Value}").ToList(), cwd, trace, DetachStdio: true)
        {
            DebugFiles = new DotnetDebugFiles(),
        }, notice: notice => events.Output(OutputKind.Console, $"rewind: {notice}\n")));
        foreach (string note in result.Notes)
        {
            events.Output(OutputKind.Console, $"rewind: {note}\n");
        }
        if (result.Error != null)
        {
            events.Output(OutputKind.Console, $"rewind: {result.Error}; the trace holds the run up to that point\n");
        }
        return OpenTrace(trace, events);
    }
}
